@{
    # The module's version lives here only: build.ps1 passes it to dotnet (-p:Version) and the package takes it from here.
    ModuleVersion        = '0.1.0'
    RootModule           = 'EglWater.psm1'
    GUID                 = '6f1f3c1e-5b8a-4d0e-9a57-2f0d3c9e7a41'
    Author               = 'EglWater contributors'
    CompanyName          = 'EglWater'
    Copyright            = '(c) EglWater contributors. MIT License.'
    Description          = 'Water-meter data of Eau du Grand Lyon (EGL, Téléo meters) in the PowerShell pipeline: daily index readings and daily, weekly, monthly or yearly consumption.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('EglWater.Format.ps1xml')
    CmdletsToExport      = @('Connect-Egl', 'Disconnect-Egl', 'Get-EglSession', 'Get-EglSubscription', 'Get-EglIndex', 'Get-EglConsumption')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Water', 'EauDuGrandLyon', 'EGL', 'Teleo', 'Lyon', 'Meter', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/eglwater/EglWater'
            LicenseUri   = 'https://github.com/eglwater/EglWater/blob/main/LICENSE'
            ReleaseNotes = 'First version: Connect-Egl, Disconnect-Egl, Get-EglSession, Get-EglIndex, Get-EglConsumption against the EGL partner API; full help (Get-Help, about_EglWater), table and list views, tab completion of -SubscriptionNumber, private dependencies isolated in their own AssemblyLoadContext on PowerShell 7.4+.'
        }
    }
}
