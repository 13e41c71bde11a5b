# Installs a Debian package for the tests' tools (Chromium, PostgreSQL), as root. Dot-sourced by
# tests/pester/Browser.ps1 and tools/EglPostgres.psm1, so that their tests' mocks of apt-get and apt-cache,
# made in those scopes, see the calls. The callers decide whether to install (root, apt-get present) and what
# to check afterwards.

function Install-EglDebianPackage {
    <#
    .SYNOPSIS
    apt-get install -y <Package>, with apt-get update first when apt knows no candidate for it, and once more
    when the install fails on stale package lists (archives the mirror no longer has). Throws when it fails.
    #>
    param([Parameter(Mandatory)] [string] $Package, [Parameter(Mandatory)] [string] $What)
    $env:DEBIAN_FRONTEND = 'noninteractive'
    $policy = (& apt-cache policy $Package 2>$null) -join "`n"
    if ($LASTEXITCODE -ne 0 -or $policy -notmatch 'Candidate:\s*[0-9]') {
        Write-Host "apt-get update (apt knows no candidate for $Package)"
        & apt-get update -q | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "apt-get update failed (exit code $LASTEXITCODE): cannot install $What." }
    }
    Write-Host "Installing ${What}: apt-get install -y $Package"
    & apt-get install -y -q $Package | Out-Host
    if ($LASTEXITCODE -ne 0) {
        Write-Host 'apt-get install failed: apt-get update, then once more'
        & apt-get update -q | Out-Host
        & apt-get install -y -q $Package | Out-Host
        if ($LASTEXITCODE -ne 0) { throw "apt-get install -y $Package failed (exit code $LASTEXITCODE)." }
    }
}
