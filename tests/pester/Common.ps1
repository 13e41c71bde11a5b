# Shared set-up of the Pester tests: the built module, a simulator pinned to a known "today".
$script:ModulePath = $env:EGLWATER_MODULE
$script:SimulatorPath = $env:EGLWATER_SIMULATOR
if (-not $ModulePath -or -not $SimulatorPath) { throw 'Run the Pester tests through ./build.ps1 -Task Test (EGLWATER_MODULE and EGLWATER_SIMULATOR are not set).' }
Import-Module (Join-Path $PSScriptRoot '../../tools/EglSimulator.psm1') -Force
Import-Module $ModulePath

$script:DemoLogin = 'demo@eglwater.test'
$script:DemoPassword = 'demo-password'
$script:DemoAuthKey = 'demo-auth-key'
$script:DemoSubscription = 1895683
$script:DemoCredential = [pscredential]::new($DemoLogin, (ConvertTo-SecureString $DemoPassword -AsPlainText -Force))

function Get-SimulatorRows {
    param($Simulator, [string] $Login = $DemoLogin, [long] $Subscription = 0)
    $uri = "$($Simulator.RootUri)_simulator/rows?login=$([uri]::EscapeDataString($Login))"
    if ($Subscription) { $uri += "&subscription=$Subscription" }
    # Write the rows one by one, whether Invoke-RestMethod enumerated the JSON array or not.
    Invoke-RestMethod -Uri $uri | ForEach-Object { $_ }
}

# The simulator's control routes (outside the API). $Root is the simulator's root URI: set it after starting it.
function script:New-Cred([string] $Login, [string] $Password = $DemoPassword) {
    [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
}
function script:Set-Fault([string] $Login, [hashtable] $Plan) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Root)_simulator/faults?login=$([uri]::EscapeDataString($Login))" -ContentType 'application/json' -Body ($Plan | ConvertTo-Json -Depth 5)
}
function script:Reset-Fault([string] $Login) {
    $null = Invoke-RestMethod -Method Delete -Uri "$($Root)_simulator/faults?login=$([uri]::EscapeDataString($Login))"
}
function script:Get-SimRequest([string] $Login, [string] $Route) {
    @(Invoke-RestMethod -Uri "$($Root)_simulator/requests?login=$([uri]::EscapeDataString($Login))" | ForEach-Object { $_ } |
        Where-Object { -not $Route -or $_.route -eq $Route })
}
function script:Get-SimToken([string] $Login) {
    @(Invoke-RestMethod -Uri "$($Root)_simulator/tokens?login=$([uri]::EscapeDataString($Login))" | ForEach-Object { $_ })
}
function script:Invoke-Expire([string] $Login) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Root)_simulator/expire?login=$([uri]::EscapeDataString($Login))"
}
function script:Get-PortalStat([string] $Login) {
    Invoke-RestMethod -Uri "$($Root)_simulator/portal/stats?login=$([uri]::EscapeDataString($Login))"
}
function script:Set-SimToday([string] $Date) {
    $null = Invoke-RestMethod -Method Post -Uri "$($Root)_simulator/today?date=$Date"
}

# Pins the module's clock (the data cmdlets' and Sync-EglHistory's "now") to an instant; Reset-EglClock restores it.
function script:Set-EglClock([string] $Utc) {
    $field = [EglWater.Commands.EglDataCmdlet].GetField('UtcNow', [Reflection.BindingFlags]'NonPublic, Static')
    if (-not $script:SystemClock) { $script:SystemClock = $field.GetValue($null) }
    $instant = [DateTimeOffset]::Parse($Utc, [cultureinfo]::InvariantCulture)
    $field.SetValue($null, [Func[DateTimeOffset]] { $instant }.GetNewClosure())
}
function script:Reset-EglClock {
    if ($script:SystemClock) {
        [EglWater.Commands.EglDataCmdlet].GetField('UtcNow', [Reflection.BindingFlags]'NonPublic, Static').SetValue($null, $script:SystemClock)
    }
}

# Runs SQL on a SQLite file with the Microsoft.Data.Sqlite the module ships, taken from the module's own load
# context (it exists once the module has opened a store): what a user's sqlite3 would see. Rows as objects.
function script:Invoke-EglSqlite([string] $Path, [string] $Sql) {
    $context = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -eq 'EglWater' | Select-Object -First 1
    if (-not $context) { throw 'The module has not loaded its backends yet: open a store first.' }
    $assembly = $context.LoadFromAssemblyName([Reflection.AssemblyName]::new('Microsoft.Data.Sqlite'))
    $connection = [Activator]::CreateInstance($assembly.GetType('Microsoft.Data.Sqlite.SqliteConnection'), @("Data Source=$Path;Pooling=False"))
    try {
        $connection.Open()
        $command = $connection.CreateCommand()
        $command.CommandText = $Sql
        $reader = $command.ExecuteReader()
        try {
            while ($reader.Read()) {
                $row = [ordered]@{}
                for ($i = 0; $i -lt $reader.FieldCount; $i++) { $row[$reader.GetName($i)] = if ($reader.IsDBNull($i)) { $null } else { $reader.GetValue($i) } }
                [pscustomobject]$row
            }
        } finally { $reader.Dispose() }
    } finally { $connection.Dispose() }
}
