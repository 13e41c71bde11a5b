# Root module of EglWater: loads the binary module so that its private dependencies cannot clash with
# another module's (see about_EglWater, "Dependencies"). Nothing else happens at import.
# Kept to the fewest commands on purpose: each first use of a cmdlet (Join-Path, Set-StrictMode,
# Out-Null, Export-ModuleMember) costs a fresh pwsh several milliseconds, about 80 ms in all here.
$version = $PSVersionTable.PSVersion
if ($PSEdition -eq 'Core' -and ($version.Major -gt 7 -or ($version.Major -eq 7 -and $version.Minor -ge 4))) {
    # PowerShell 7.4+ (.NET 8+): EglWater.dll and Polly.Core live in the module's own AssemblyLoadContext.
    # LoadFrom, not Add-Type -Path: Add-Type costs about 200 ms of compiler set-up at every import.
    $null = [System.Reflection.Assembly]::LoadFrom($PSScriptRoot + '/EglWater.Isolation.dll')
    Import-Module -Assembly ([EglWater.Isolation.ModuleLoadContext]::LoadModule($PSScriptRoot))
} else {
    # Windows PowerShell 5.1 (and older PowerShell 7): one AppDomain; an AssemblyResolve handler answers
    # for the module's own dependency names from the Dependencies folder.
    $assembly = [System.Reflection.Assembly]::LoadFrom($PSScriptRoot + '/EglWater.dll')
    $null = $assembly.GetType('EglWater.Loading.DependencyResolver', $true).GetMethod('Register').Invoke($null, @($PSScriptRoot + '/Dependencies'))
    Import-Module -Assembly $assembly
}
# No Export-ModuleMember: a script module exports the cmdlets of the assembly it imports, and the
# manifest's CmdletsToExport is the list that counts.
