<#
.SYNOPSIS
The script a competent PowerShell user would write instead of using EglWater: daily water consumption
from the EGL partner API with Invoke-RestMethod, or from a CSV file of index readings.

.DESCRIPTION
This is the baseline of the benchmarks (bench/Invoke-Benchmarks.ps1). It is written to be fair: no
deliberate slowness, a generic List instead of +=, one request per calendar year, a single pass over the
readings. It does what the module does on clean data and nothing more: no retries, no token renewal,
no handling of pending duplicates, meter changes or gaps (a day whose previous day has no reading simply
gets no row, as in the module's data path). The harness compares its output with the module's, day by day,
on data without such quirks.

Online (parameter set Api): logs in to connect.asp (form body, AuthKey header), asks
getAllAgregatsByAbonnement.aspx once per calendar year of [StartDate - 1 day, EndDate], converts each answer
with ConvertFrom-Json, then loops over the readings for the daily differences.

Dates: Invoke-RestMethod (like ConvertFrom-Json without -DateKind) turns "2020-07-01T00:00:00+02:00" into
the machine's local time, which on a UTC machine is 30 June at 22:00: the wrong day. So the data answers
are read with Invoke-WebRequest and converted with `ConvertFrom-Json -DateKind String`, and the day is the
first ten characters of DateReleve, the Paris day the API wrote.

Offline (parameter set Csv): reads a CSV file written by `Get-EglIndex | Export-Csv` (invariant culture)
and loops over its rows in file order: the file is assumed sorted as Get-EglIndex writes it (by subscription,
then by date), which saves the script a sort or a Group-Object. Several subscriptions are handled in the same
single pass: a row whose SubscriptionNumber differs from the previous row's starts a new series.

Output: one object per day, Date ([datetime], 00:00) and Liters ([double]); from a CSV file also
SubscriptionNumber (the file's text).
#>
[CmdletBinding(DefaultParameterSetName = 'Api')]
param(
    [Parameter(Mandatory, ParameterSetName = 'Api')] [uri] $BaseUri,
    [Parameter(Mandatory, ParameterSetName = 'Api')] [string] $Login,
    [Parameter(Mandatory, ParameterSetName = 'Api')] [string] $Password,
    [Parameter(Mandatory, ParameterSetName = 'Api')] [string] $AuthKey,
    [Parameter(Mandatory, ParameterSetName = 'Api')] [datetime] $StartDate,
    [Parameter(Mandatory, ParameterSetName = 'Api')] [datetime] $EndDate,

    [Parameter(Mandatory, ParameterSetName = 'Csv')] [string] $CsvPath
)
$ErrorActionPreference = 'Stop'
$inv = [cultureinfo]::InvariantCulture

if ($PSCmdlet.ParameterSetName -eq 'Csv') {
    # One pass in file order. Get-EglIndex | Export-Csv writes the subscriptions one after another, each in date
    # order, so a new SubscriptionNumber starts a new series (its first day has no previous reading: no row).
    $previousSubscription = $null
    $previousDate = $null
    $previousIndex = 0.0
    foreach ($row in Import-Csv -LiteralPath $CsvPath) {
        $subscription = $row.SubscriptionNumber
        $date = [datetime]$row.Date          # PowerShell casts use the invariant culture
        $index = [double]$row.Index
        if ($subscription -eq $previousSubscription -and $previousDate.AddDays(1) -eq $date) {
            [pscustomobject]@{ SubscriptionNumber = $subscription; Date = $date; Liters = $index - $previousIndex }
        }
        $previousSubscription = $subscription
        $previousDate = $date
        $previousIndex = $index
    }
    return
}

$base = $BaseUri.AbsoluteUri.TrimEnd('/')
$connect = Invoke-RestMethod -Method Post -Uri "$base/connect.asp" -Headers @{ AuthKey = $AuthKey } -Body @{ login = $Login; pass = $Password }
if ($connect.codeRetour -ne 100) { throw "Login refused: $($connect.codeRetour) $($connect.libelleRetour)" }
$token = $connect.resultatRetour.token
$subscription = $connect.resultatRetour.num_abt

$from = $StartDate.Date.AddDays(-1)   # the day before the start gives the first day its value
$to = $EndDate.Date
$readings = [System.Collections.Generic.List[object]]::new()
for ($year = $from.Year; $year -le $to.Year; $year++) {
    $first = [datetime]::new($year, 1, 1)
    $last = [datetime]::new($year, 12, 31)
    if ($first -lt $from) { $first = $from }
    if ($last -gt $to) { $last = $to }
    $body = @{
        token      = $token
        num_abt    = $subscription
        date_debut = $first.ToString('MM/dd/yyyy', $inv)
        date_fin   = $last.ToString('MM/dd/yyyy', $inv)
    }
    $answer = (Invoke-WebRequest -Method Post -Uri "$base/getAllAgregatsByAbonnement.aspx" -Body $body).Content | ConvertFrom-Json -DateKind String
    if ($answer.codeRetour -ne 100) { throw "The API refused $year`: $($answer.codeRetour) $($answer.libelleRetour)" }
    $readings.AddRange(@($answer.resultatRetour))
}

$start = $StartDate.Date
$previousDate = $null
$previousIndex = 0.0
foreach ($r in $readings) {
    $date = [datetime]::ParseExact($r.DateReleve.Substring(0, 10), 'yyyy-MM-dd', $inv)
    $index = [double]$r.ValeurIndex
    if ($null -ne $previousDate -and $date -ge $start -and $previousDate.AddDays(1) -eq $date) {
        [pscustomobject]@{ Date = $date; Liters = $index - $previousIndex }
    }
    $previousDate = $date
    $previousIndex = $index
}
