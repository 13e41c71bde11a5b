# Starts and stops the local EGL API simulator as a child process (used by the demo and the Pester tests).
Set-StrictMode -Version Latest

function Start-EglSimulator {
    <#
    .SYNOPSIS
    Starts the EGL simulator on a free loopback port and returns its base URI and process.
    #>
    [CmdletBinding()]
    param(
        # Path to EglWater.Simulator.dll.
        [Parameter(Mandatory)] [string] $Path,
        # Extra simulator options, such as '--today', '2025-06-15'.
        [string[]] $ArgumentList = @(),
        [int] $TimeoutSec = 60
    )
    if (-not (Test-Path -LiteralPath $Path)) { throw "The simulator is not built at '$Path'. Run ./build.ps1 -Task Build." }
    $psi = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    foreach ($a in @($Path, '--urls', 'http://127.0.0.1:0', '--exit-on-stdin-close', 'true') + $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardInput = $true
    $psi.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($psi)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or $null -eq $read.Result) {
        try { $process.Kill($true) } catch { Write-Verbose "Kill: $_" }
        throw "The EGL simulator did not start within $TimeoutSec s."
    }
    if ($read.Result -notmatch 'listening on (?<uri>\S+)') {
        try { $process.Kill($true) } catch { Write-Verbose "Kill: $_" }
        throw "Unexpected first line from the EGL simulator: $($read.Result)"
    }
    $baseUri = [Uri]$Matches.uri
    [pscustomobject]@{
        PSTypeName = 'EglWater.SimulatorInstance'
        BaseUri    = $baseUri
        RootUri    = [Uri]$baseUri.GetLeftPart([UriPartial]::Authority)
        Process    = $process
    }
}

function Stop-EglSimulator {
    [CmdletBinding()]
    param([Parameter(ValueFromPipeline)] $Simulator)
    process {
        if ($null -eq $Simulator -or $null -eq $Simulator.Process) { return }
        $p = $Simulator.Process
        if (-not $p.HasExited) {
            try { $p.StandardInput.Close() } catch { Write-Verbose "Closing stdin: $_" }
            if (-not $p.WaitForExit(5000)) { $p.Kill($true); $p.WaitForExit() }
        }
        $p.Dispose()
    }
}

Export-ModuleMember -Function Start-EglSimulator, Stop-EglSimulator
