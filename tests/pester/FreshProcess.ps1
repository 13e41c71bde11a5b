# Runs a script in a fresh pwsh process (a loaded binary module cannot be unloaded, and some tests need
# a session where nothing was loaded yet). Dot-sourced by the tests that need it.

function Invoke-FreshPwsh {
    <#
    .SYNOPSIS
    Runs $Script in a new pwsh (the same PowerShell as this one) and returns its exit code and output.
    The script gets $Arguments as named parameters; $Environment adds or replaces environment variables.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Arguments = @{},
        [hashtable] $Environment = @{},
        [string] $WorkingDirectory = [IO.Path]::GetTempPath(),
        [int] $TimeoutSec = 120
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ("eglwater-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    try {
        $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
        foreach ($k in $Arguments.Keys) { $psi.ArgumentList.Add("-$k"); $psi.ArgumentList.Add([string]$Arguments[$k]) }
        foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
        $psi.WorkingDirectory = $WorkingDirectory
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.UseShellExecute = $false
        $p = [System.Diagnostics.Process]::Start($psi)
        $stderr = $p.StandardError.ReadToEndAsync()
        $stdout = $p.StandardOutput.ReadToEndAsync()
        if (-not $p.WaitForExit($TimeoutSec * 1000)) { $p.Kill($true); throw "The fresh pwsh did not finish within $TimeoutSec s." }
        $p.WaitForExit()
        [pscustomobject]@{
            ExitCode = $p.ExitCode
            Output   = $stdout.Result
            Error    = $stderr.Result
        }
    } finally {
        Remove-Item -LiteralPath $file -ErrorAction SilentlyContinue
    }
}

function ConvertFrom-FreshResult {
    <# The child writes one line 'RESULT:<json>'; this returns the object, or fails with everything the child said. #>
    param([Parameter(Mandatory)] $Run)
    $line = ($Run.Output -split "`r?`n") | Where-Object { $_ -like 'RESULT:*' } | Select-Object -Last 1
    if ($Run.ExitCode -ne 0 -or -not $line) { throw "The fresh pwsh failed (exit $($Run.ExitCode)).`nOUT: $($Run.Output)`nERR: $($Run.Error)" }
    $line.Substring(7) | ConvertFrom-Json
}

function Start-FreshPwsh {
    <#
    .SYNOPSIS
    Starts $Script in a new pwsh without waiting: returns the process (to kill it, or to run several at once) for
    Wait-FreshPwsh, which returns what Invoke-FreshPwsh returns. Stop-FreshPwsh cleans up after a kill.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Arguments = @{},
        [hashtable] $Environment = @{}
    )
    $file = Join-Path ([IO.Path]::GetTempPath()) ("eglwater-{0}.ps1" -f [guid]::NewGuid().ToString('n'))
    Set-Content -LiteralPath $file -Value $Script -Encoding utf8
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @((Join-Path $PSHOME 'pwsh.dll'), '-NoProfile', '-NonInteractive', '-File', $file)) { $psi.ArgumentList.Add($a) }
    foreach ($k in $Arguments.Keys) { $psi.ArgumentList.Add("-$k"); $psi.ArgumentList.Add([string]$Arguments[$k]) }
    foreach ($k in $Environment.Keys) { $psi.Environment[$k] = [string]$Environment[$k] }
    $psi.WorkingDirectory = [IO.Path]::GetTempPath()
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $p = [System.Diagnostics.Process]::Start($psi)
    [pscustomobject]@{ Process = $p; File = $file; Output = $p.StandardOutput.ReadToEndAsync(); Error = $p.StandardError.ReadToEndAsync() }
}

function Wait-FreshPwsh {
    param([Parameter(Mandatory)] $Child, [int] $TimeoutSec = 120)
    try {
        if (-not $Child.Process.WaitForExit($TimeoutSec * 1000)) { $Child.Process.Kill($true); throw "The fresh pwsh did not finish within $TimeoutSec s." }
        $Child.Process.WaitForExit()
        [pscustomobject]@{ ExitCode = $Child.Process.ExitCode; Output = $Child.Output.Result; Error = $Child.Error.Result }
    } finally { Stop-FreshPwsh $Child }
}

function Stop-FreshPwsh {
    param([Parameter(Mandatory)] $Child)
    if (-not $Child.Process.HasExited) { $Child.Process.Kill($true); $Child.Process.WaitForExit() }
    Remove-Item -LiteralPath $Child.File -ErrorAction SilentlyContinue
}
