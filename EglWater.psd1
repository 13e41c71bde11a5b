@{
    RootModule           = 'EglWater.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '6f1f3c1e-5b8a-4d0e-9a57-2f0d3c9e7a41'
    Author               = 'EglWater contributors'
    CompanyName          = 'EglWater'
    Copyright            = '(c) EglWater contributors. MIT License.'
    Description          = 'Water-meter data of Eau du Grand Lyon (EGL, Téléo meters) in the PowerShell pipeline: daily index readings and daily, weekly, monthly or yearly consumption.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('EglWater.Format.ps1xml')
    CmdletsToExport      = @('Connect-Egl', 'Disconnect-Egl', 'Get-EglSession', 'Get-EglIndex', 'Get-EglConsumption')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Water', 'EauDuGrandLyon', 'EGL', 'Teleo', 'Lyon', 'Meter', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ReleaseNotes = 'First version: Connect-Egl, Get-EglIndex, Get-EglConsumption against the EGL partner API.'
        }
    }
}
