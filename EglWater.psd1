@{
    # The module's version lives here only: build.ps1 passes it to dotnet (-p:Version) and the package takes it from here.
    ModuleVersion        = '0.1.0'
    # A binary root module, built for each edition: PowerShell 7.4+ (net8.0) or Windows PowerShell 5.1 (netstandard2.0).
    RootModule           = if ($PSEdition -eq 'Core') { 'core/EglWater.dll' } else { 'desktop/EglWater.dll' }
    GUID                 = '6f1f3c1e-5b8a-4d0e-9a57-2f0d3c9e7a41'
    Author               = 'EglWater contributors'
    CompanyName          = 'EglWater'
    Copyright            = '(c) EglWater contributors. MIT License.'
    Description          = 'Water-meter data of Eau du Grand Lyon (EGL, Téléo meters) in the PowerShell pipeline, from the customer portal or the partner API: daily index readings, daily, weekly, monthly or yearly consumption with quality flags, the contracts; the whole history kept in SQLite or PostgreSQL, leak signs, the bill estimated from the tariff, and one HTML report with charts.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('EglWater.Format.ps1xml')
    CmdletsToExport      = @('Connect-Egl', 'Disconnect-Egl', 'Get-EglSession', 'Get-EglSubscription', 'Get-EglIndex', 'Get-EglConsumption', 'Sync-EglHistory', 'Find-EglLeak', 'Measure-EglCost', 'Export-EglReport')
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Water', 'EauDuGrandLyon', 'EGL', 'Teleo', 'Lyon', 'Meter', 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/eglwater/EglWater'
            LicenseUri   = 'https://github.com/eglwater/EglWater/blob/main/LICENSE'
            ReleaseNotes = 'Connect-Egl to the customer portal (a household login, the default) or to the partner API (-AuthKey); Get-EglIndex and Get-EglConsumption on both, with quality flags, aggregation and offline pipelines; Get-EglSubscription. Sync-EglHistory keeps the whole history in a SQLite file or a PostgreSQL database (fleets: many subscriptions at once, several workers), read back with -HistoryPath or -ConnectionString; Find-EglLeak finds leak signs; Measure-EglCost estimates the bill from the published tariffs; Export-EglReport writes one self-contained HTML report. A binary root module whose private dependencies load at first use into its own AssemblyLoadContext on PowerShell 7.4+.'
        }
    }
}
