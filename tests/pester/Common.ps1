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
