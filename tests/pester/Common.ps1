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
