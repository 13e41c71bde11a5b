# Root module of EglWater: loads the binary module so that its private dependencies cannot clash with
# another module's (see about_EglWater, "Dependencies"). Nothing else happens at import.
Set-StrictMode -Version Latest

$binary = Join-Path $PSScriptRoot 'EglWater.dll'
$dependencies = Join-Path $PSScriptRoot 'Dependencies'
if ($PSEdition -eq 'Core' -and $PSVersionTable.PSVersion -ge [version]'7.4') {
    # PowerShell 7.4+ (.NET 8+): EglWater.dll and Polly.Core live in the module's own AssemblyLoadContext.
    # LoadFrom, not Add-Type -Path: Add-Type costs about 200 ms of compiler set-up at every import.
    $null = [System.Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'EglWater.Isolation.dll'))
    $assembly = [EglWater.Isolation.ModuleLoadContext]::LoadModule($PSScriptRoot)
} else {
    # Windows PowerShell 5.1 (and older PowerShell 7): one AppDomain; an AssemblyResolve handler answers
    # for the module's own dependency names from the Dependencies folder.
    $assembly = [System.Reflection.Assembly]::LoadFrom($binary)
    $assembly.GetType('EglWater.Loading.DependencyResolver', $true).GetMethod('Register').Invoke($null, @($dependencies)) | Out-Null
}

Import-Module -Assembly $assembly
# The manifest's CmdletsToExport is the list that counts.
Export-ModuleMember -Cmdlet '*'
