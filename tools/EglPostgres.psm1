# Throw-away PostgreSQL clusters for the tests: Debian's PostgreSQL server binaries, a fresh cluster in a temporary
# folder on a free loopback port, a database owned by a non-superuser login role with a random password (SCRAM over
# TCP, trust over the unix socket in that folder), stopped and deleted at the end. build.ps1 starts one around the
# Pester run and hands it over in EGLWATER_PG_* variables (Get-EglPostgresFromEnvironment reads them back).
# A missing server is never a skip: as root it is installed (apt-get), otherwise the caller fails with the command.
# Nothing here prints a password: the plain passwords never leave this process except in the returned object (and
# in the environment build.ps1 gives the Pester process); the server only ever sees SCRAM verifiers.
Set-StrictMode -Version Latest
. (Join-Path $PSScriptRoot 'DebianPackage.ps1')

$script:InstallCommand = 'sudo apt-get install -y postgresql'
$script:FolderPrefix = 'eglpg-'
# psql prints NULL as this (a value no test writes), read back as $null.
$script:NullMarker = "$([char]0x1f)NULL$([char]0x1f)"
$script:Utf8 = [Text.UTF8Encoding]::new($false)

function Test-EglRoot {
    if (-not $IsLinux) { return $false }
    (& id -u) -eq '0'
}

function Test-EglPostgresBin([string] $Directory) {
    $Directory -and (Test-Path -LiteralPath (Join-Path $Directory 'initdb') -PathType Leaf) -and
    (Test-Path -LiteralPath (Join-Path $Directory 'pg_ctl') -PathType Leaf)
}

function Find-EglPostgresBin([string] $SearchRoot) {
    # Debian: /usr/lib/postgresql/<major>/bin; the highest major version that has initdb and pg_ctl.
    if (-not (Test-Path -LiteralPath $SearchRoot -PathType Container)) { return $null }
    Get-ChildItem -LiteralPath $SearchRoot -Directory | Where-Object Name -Match '^\d+(\.\d+)?$' |
        Sort-Object { [double]::Parse($_.Name, [cultureinfo]::InvariantCulture) } -Descending |
        ForEach-Object { Join-Path $_.FullName 'bin' } | Where-Object { Test-EglPostgresBin $_ } | Select-Object -First 1
}

function Stop-DebianMainCluster {
    # Debian's package creates a cluster "main" on port 5432 and may start it. The tests never use it: stop it when
    # our own install started it (called only right after apt-get install).
    if (-not (Get-Command -Name 'pg_lsclusters' -CommandType Application -ErrorAction Ignore)) { return }
    foreach ($line in @(& pg_lsclusters --no-header 2>$null)) {
        $f = -split "$line"
        if ($f.Count -ge 4 -and $f[1] -eq 'main' -and $f[3] -eq 'online') {
            Write-Host "Stopping Debian's cluster $($f[0])/main (port $($f[2])), started by the install; the tests do not use it"
            & pg_ctlcluster $f[0] main stop 2>&1 | Out-Host
        }
    }
}

function Assert-EglPostgres {
    <#
    .SYNOPSIS
    Returns the folder of the PostgreSQL server binaries (initdb, pg_ctl): $env:EGLWATER_PG_BIN, else the highest
    version under /usr/lib/postgresql/*/bin. When they are missing: as root on Debian, installs Debian's package
    `postgresql` (apt-get update first when apt knows no candidate, or when the install fails on stale package
    lists) and stops the "main" cluster the package may start; otherwise throws with the one command to run.
    Never skips.
    .PARAMETER SearchRoot
    Where the versioned server folders are (Debian: /usr/lib/postgresql).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $SearchRoot = '/usr/lib/postgresql')

    if ($env:EGLWATER_PG_BIN) {
        if (Test-EglPostgresBin $env:EGLWATER_PG_BIN) { return (Resolve-Path -LiteralPath $env:EGLWATER_PG_BIN).Path }
        throw ("EGLWATER_PG_BIN names '$env:EGLWATER_PG_BIN', which holds no PostgreSQL server (initdb, pg_ctl). " +
            "Install it with: $InstallCommand (and unset EGLWATER_PG_BIN), or point EGLWATER_PG_BIN at the folder of initdb and pg_ctl, then run the tests again.")
    }
    $bin = Find-EglPostgresBin $SearchRoot
    if ($bin) { return $bin }

    $hasApt = [bool](Get-Command -Name 'apt-get' -CommandType Application -ErrorAction Ignore)
    if (-not ((Test-EglRoot) -and $hasApt)) {
        $how = if ($hasApt) { "Install it with: $InstallCommand" }
        else { 'Install PostgreSQL 15 or later (Debian: apt-get install -y postgresql) or set EGLWATER_PG_BIN to the folder of its initdb and pg_ctl' }
        throw "The tests need a PostgreSQL server (initdb, pg_ctl under $SearchRoot/<version>/bin), which is not installed. $how, then run the tests again."
    }

    $started = [Diagnostics.Stopwatch]::StartNew()
    Install-EglDebianPackage -Package postgresql -What PostgreSQL
    Stop-DebianMainCluster
    $bin = Find-EglPostgresBin $SearchRoot
    if (-not $bin) { throw "apt-get install -y postgresql succeeded, yet no initdb and pg_ctl were found under $SearchRoot/<version>/bin." }
    Write-Host ('PostgreSQL installed in {0} in {1} s' -f $bin, [math]::Round($started.Elapsed.TotalSeconds))
    $bin
}

function Get-EglPsqlPath([string] $BinDirectory) {
    $beside = Join-Path $BinDirectory 'psql'
    if (Test-Path -LiteralPath $beside -PathType Leaf) { return $beside }
    $command = Get-Command -Name 'psql' -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($command) { return $command.Source }
    throw "psql is not installed (neither in $BinDirectory nor on PATH). Install it with: sudo apt-get install -y postgresql-client"
}

function Get-EglRunUser {
    foreach ($candidate in @((Get-Command -Name 'runuser' -CommandType Application -ErrorAction Ignore | Select-Object -First 1 -ExpandProperty Source), '/usr/sbin/runuser', '/sbin/runuser')) {
        if ($candidate -and (Test-Path -LiteralPath $candidate -PathType Leaf)) { return $candidate }
    }
    throw 'runuser (util-linux) is missing: as root, initdb and pg_ctl must run as the postgres user through it.'
}

function Hide-EglSecret([string] $Text, [string[]] $Secret) {
    foreach ($s in $Secret) { if ($s) { $Text = $Text.Replace($s, '***') } }
    $Text
}

function Invoke-EglProcess {
    # Runs a program (as $AsUser through runuser when given), feeds it $InputText, returns its exit code and output.
    # Never prints: the caller decides. Arguments go through ArgumentList (no shell, no quoting).
    param(
        [Parameter(Mandatory)] [string] $FilePath,
        [string[]] $ArgumentList = @(),
        [string] $AsUser,
        [hashtable] $Environment = @{},
        [string] $InputText,
        [string] $WorkingDirectory,
        [int] $TimeoutSec = 60
    )
    if ($AsUser) {
        $ArgumentList = @('-u', $AsUser, '--', $FilePath) + $ArgumentList
        $FilePath = Get-EglRunUser
    }
    $psi = [Diagnostics.ProcessStartInfo]::new($FilePath)
    foreach ($a in $ArgumentList) { $psi.ArgumentList.Add($a) }
    $psi.UseShellExecute = $false
    $psi.RedirectStandardInput = $true
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.StandardInputEncoding = $Utf8
    $psi.StandardOutputEncoding = $Utf8
    $psi.StandardErrorEncoding = $Utf8
    if ($WorkingDirectory) { $psi.WorkingDirectory = $WorkingDirectory }
    # Messages in English (the start retries on "could not bind"), no user's libpq settings.
    $psi.Environment['LC_ALL'] = 'C'
    $psi.Environment['LANG'] = 'C'
    foreach ($name in @('PGPASSWORD', 'PGPASSFILE', 'PGSERVICE', 'PGSERVICEFILE', 'PGOPTIONS', 'PGSSLMODE', 'PGREQUIRESSL', 'PGDATA')) { $null = $psi.Environment.Remove($name) }
    foreach ($key in $Environment.Keys) { $psi.Environment[$key] = [string]$Environment[$key] }
    $process = [Diagnostics.Process]::Start($psi)
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEndAsync()
        if ($InputText) { $process.StandardInput.Write($InputText) }
        $process.StandardInput.Close()
        if (-not $process.WaitForExit($TimeoutSec * 1000)) {
            try { $process.Kill($true) } catch { Write-Verbose "Kill: $_" }
            throw "'$FilePath $($ArgumentList -join ' ')' did not finish within $TimeoutSec s."
        }
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; StdOut = $stdout.Result; StdErr = $stderr.Result }
    } finally {
        $process.Dispose()
    }
}

function New-EglPassword {
    # 32 letters and digits: no quoting anywhere (connection strings, SQL, environment).
    $alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'
    -join (1..32 | ForEach-Object { $alphabet[[Security.Cryptography.RandomNumberGenerator]::GetInt32($alphabet.Length)] })
}

function New-EglScramVerifier([string] $Password) {
    # What the server stores for a SCRAM-SHA-256 password (RFC 5802/7677, as libpq's PQencryptPasswordConn writes it):
    # the server never sees the password itself, so no log or error message can show it.
    $salt = [byte[]]::new(16)
    [Security.Cryptography.RandomNumberGenerator]::Fill($salt)
    $iterations = 4096
    $salted = [Security.Cryptography.Rfc2898DeriveBytes]::Pbkdf2($Utf8.GetBytes($Password), $salt, $iterations, [Security.Cryptography.HashAlgorithmName]::SHA256, 32)
    $hmac = [Security.Cryptography.HMACSHA256]::new($salted)
    try {
        $clientKey = $hmac.ComputeHash([Text.Encoding]::ASCII.GetBytes('Client Key'))
        $serverKey = $hmac.ComputeHash([Text.Encoding]::ASCII.GetBytes('Server Key'))
    } finally { $hmac.Dispose() }
    $storedKey = [Security.Cryptography.SHA256]::HashData($clientKey)
    'SCRAM-SHA-256${0}:{1}${2}:{3}' -f $iterations, [Convert]::ToBase64String($salt), [Convert]::ToBase64String($storedKey), [Convert]::ToBase64String($serverKey)
}

function Get-EglFreeTcpPort {
    # A port the OS says is free on 127.0.0.1 now; the start retries when another process takes it first.
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function New-EglClusterFolder([string] $TempRoot, [bool] $AsRoot) {
    $base = [IO.Path]::GetFullPath($TempRoot)
    if ($AsRoot) {
        # The postgres user must traverse every parent folder. Prefer /tmp to changing the modes of someone's folders.
        $dir = $base.TrimEnd('/')
        $blocked = $false
        while ($dir) {
            if (-not ([IO.File]::GetUnixFileMode($dir).HasFlag([IO.UnixFileMode]::OtherExecute))) { $blocked = $true; break }
            $dir = [IO.Path]::GetDirectoryName($dir)
        }
        if ($blocked) {
            if ($base.TrimEnd('/') -eq '/tmp') { throw "The postgres user cannot reach '$dir' (mode lacks o+x): cannot make a cluster under /tmp." }
            Write-Verbose "The postgres user cannot reach '$dir': the cluster goes under /tmp instead of $base"
            $base = '/tmp'
        }
    }
    for ($i = 0; $i -lt 10; $i++) {
        $name = $FolderPrefix + -join (1..10 | ForEach-Object { 'abcdefghijklmnopqrstuvwxyz0123456789'[[Security.Cryptography.RandomNumberGenerator]::GetInt32(36)] })
        $path = Join-Path $base $name
        if (Test-Path -LiteralPath $path) { continue }
        $folder = [IO.Directory]::CreateDirectory($path).FullName
        # Readable by others (mktemp-style folders are 700): the server runs as postgres when we are root.
        [IO.File]::SetUnixFileMode($folder, [IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
        # The unix socket path (folder/.s.PGSQL.<port>) must fit in sun_path (107 bytes).
        if (($folder.Length + 17) -gt 107) {
            Remove-Item -LiteralPath $folder -Force
            throw "The temporary folder '$folder' is too long for a unix socket path: set TMPDIR to a shorter folder (such as /tmp)."
        }
        return $folder
    }
    throw "Could not create a fresh folder under $base."
}

function New-EglClusterObject([System.Collections.IDictionary] $Values) {
    $o = [pscustomobject]$Values
    $o.PSObject.TypeNames.Insert(0, 'EglWater.PostgresCluster')
    # The default view leaves the passwords out (Format-List * still shows them: the tests need them).
    $view = [Management.Automation.PSPropertySet]::new('DefaultDisplayPropertySet', [string[]]@('Version', 'Host', 'Port', 'Database', 'UserName', 'ConnectionString', 'Folder'))
    $o | Add-Member -MemberType MemberSet -Name PSStandardMembers -Value ([Management.Automation.PSMemberInfo[]]@($view)) -Force
    $o | Add-Member -MemberType ScriptMethod -Name ToString -Value { 'PostgreSQL {0} on {1}:{2}, database {3} as {4}' -f $this.Version, $this.Host, $this.Port, $this.Database, $this.UserName } -Force
    $o
}

function Write-EglClusterConfig($Cluster) {
    # Our settings in their own file, included last by postgresql.conf: loopback only, the socket in the folder,
    # UTC, no fsync (a throw-away cluster; an immediate stop loses nothing the OS has, and commits stay synchronous).
    $lines = @(
        "listen_addresses = '127.0.0.1'"
        "port = $($Cluster.Port)"
        "unix_socket_directories = '$($Cluster.Folder)'"
        "timezone = 'UTC'"
        "log_timezone = 'UTC'"
        'fsync = off'
        'full_page_writes = off'
        'max_connections = 100'
    )
    [IO.File]::WriteAllText((Join-Path $Cluster.DataDirectory 'eglwater.conf'), (($lines -join "`n") + "`n"), $Utf8)
}

function Invoke-EglPgCtl($Cluster, [string[]] $ArgumentList, [int] $TimeoutSec = 60) {
    $pgCtl = Join-Path $Cluster.BinDirectory 'pg_ctl'
    Invoke-EglProcess -FilePath $pgCtl -ArgumentList (@('-D', $Cluster.DataDirectory) + $ArgumentList) -AsUser $Cluster.RunAs -WorkingDirectory $Cluster.Folder -TimeoutSec ($TimeoutSec + 10)
}

function Get-EglLogTail($Cluster, [int] $Lines = 15) {
    if (Test-Path -LiteralPath $Cluster.LogFile) { (Get-Content -LiteralPath $Cluster.LogFile -Tail $Lines) -join "`n" } else { '(no server log)' }
}

function Start-EglPostgresServer($Cluster, [int] $TimeoutSec) {
    # pg_ctl -w: returns once the server accepts connections. $true when started, $false when the port was taken.
    $r = Invoke-EglPgCtl $Cluster @('-l', $Cluster.LogFile, '-w', '-t', "$TimeoutSec", 'start') -TimeoutSec $TimeoutSec
    if ($r.ExitCode -eq 0) { return $true }
    $log = Get-EglLogTail $Cluster
    if ($log -match 'could not bind|Address already in use|could not create any TCP/IP sockets') { return $false }
    throw ("pg_ctl start failed (exit code {0}) for {1}: {2}`nServer log:`n{3}" -f $r.ExitCode, $Cluster.DataDirectory, ($r.StdErr + $r.StdOut).Trim(), $log)
}

function Get-EglPostmasterId($Cluster) {
    $pidFile = Join-Path $Cluster.DataDirectory 'postmaster.pid'
    if (-not (Test-Path -LiteralPath $pidFile)) { return $null }
    $first = Get-Content -LiteralPath $pidFile -TotalCount 1 -ErrorAction Ignore
    $id = 0
    if ([int]::TryParse("$first".Trim(), [ref]$id) -and $id -gt 0) { return $id }
    $null
}

function Get-EglProcessStartTicks([int] $Id) {
    # The start time in clock ticks since boot (/proc/<pid>/stat, field 22): with the id, it names one process for
    # good (Process.StartTime is derived from the clock and differs by milliseconds between readers).
    $text = Get-Content -LiteralPath "/proc/$Id/stat" -Raw -ErrorAction Ignore
    if (-not $text) { return $null }
    (-split $text.Substring($text.LastIndexOf(')') + 2))[19]
}

function Test-EglProcessGone([int] $Id) {
    # Gone, or a zombie (exited; its parent, often init, has not reaped it yet).
    $stat = "/proc/$Id/stat"
    if (-not (Test-Path -LiteralPath $stat)) { return $true }
    $text = Get-Content -LiteralPath $stat -Raw -ErrorAction Ignore
    if (-not $text) { return $true }
    $text.Substring($text.LastIndexOf(')') + 2, 1) -in 'Z', 'X'
}

function Wait-EglProcessGone([int] $Id, [int] $TimeoutMs) {
    $watch = [Diagnostics.Stopwatch]::StartNew()
    while (-not (Test-EglProcessGone $Id)) {
        if ($watch.ElapsedMilliseconds -gt $TimeoutMs) { return $false }
        Start-Sleep -Milliseconds 50
    }
    $true
}

function Stop-EglPostgresServer($Cluster, [string] $Mode = 'immediate') {
    # pg_ctl stop; when that fails (binaries gone, half-started cluster), SIGQUIT (an immediate shutdown) to the
    # postmaster named in postmaster.pid, only if it is a postgres process.
    if (-not $Cluster.DataDirectory -or -not (Test-Path -LiteralPath (Join-Path $Cluster.DataDirectory 'postmaster.pid'))) { return }
    $r = $null
    if ($Cluster.BinDirectory -and (Test-Path -LiteralPath (Join-Path $Cluster.BinDirectory 'pg_ctl'))) {
        $r = Invoke-EglPgCtl $Cluster @('-m', $Mode, '-w', '-t', '30', 'stop') -TimeoutSec 30
        if ($r.ExitCode -eq 0) { return }
    }
    $id = Get-EglPostmasterId $Cluster
    $process = if ($id -and -not (Test-EglProcessGone $id)) { Get-Process -Id $id -ErrorAction Ignore }
    if ($process -and $process.ProcessName -match '^postgres|^postmaster') {
        Write-Verbose "pg_ctl stop did not stop $($Cluster.DataDirectory) ($(if ($r) { $r.StdErr.Trim() } else { 'no pg_ctl' })): SIGQUIT to $id"
        & kill -QUIT $id 2>$null
        if (-not (Wait-EglProcessGone $id 15000)) { & kill -KILL $id 2>$null; $null = Wait-EglProcessGone $id 5000 }
    }
    # Otherwise postmaster.pid is stale (no such server): nothing runs.
}

function Start-EglPostgres {
    <#
    .SYNOPSIS
    Starts a throw-away PostgreSQL cluster and returns it (an EglWater.PostgresCluster object).
    .DESCRIPTION
    A fresh folder under the temporary folder (mode 755; as root the cluster belongs to the postgres user and
    initdb/pg_ctl run through runuser), initdb with a superuser ($AdminUserName, trust over the unix socket,
    scram-sha-256 over TCP), the server on a free port of 127.0.0.1 (another port when one is taken first), its
    socket in the folder; then a login role $UserName (not a superuser, its own random password) that owns the
    database $Database. Prints nothing. On failure, removes what it made and throws with the server log.
    .OUTPUTS
    Host, Port, Database, UserName, Password, AdminUserName, AdminPassword, ConnectionString (no password),
    AdminConnectionString (no password), Version, VersionNumber, DataDirectory, Folder, SocketDirectory,
    BinDirectory, LogFile, RunAs (postgres as root, else empty).
    #>
    [CmdletBinding()]
    param(
        # The folder of initdb and pg_ctl; Assert-EglPostgres's by default.
        [string] $BinDirectory,
        [ValidatePattern('^[a-z_][a-z0-9_]*$')] [string] $Database = 'eglwater_test',
        [ValidatePattern('^[a-z_][a-z0-9_]*$')] [string] $UserName = 'egl_test',
        [ValidatePattern('^[a-z_][a-z0-9_]*$')] [string] $AdminUserName = 'egl_admin',
        [string] $TempRoot = [IO.Path]::GetTempPath(),
        [int] $TimeoutSec = 60
    )
    if (-not $BinDirectory) { $BinDirectory = Assert-EglPostgres }
    elseif (-not (Test-EglPostgresBin $BinDirectory)) {
        throw "'$BinDirectory' holds no PostgreSQL server (initdb, pg_ctl). Install it with: $InstallCommand, then run the tests again."
    }
    $BinDirectory = (Resolve-Path -LiteralPath $BinDirectory).Path
    $psql = Get-EglPsqlPath $BinDirectory
    $asRoot = Test-EglRoot
    if ($asRoot) {
        & id -u postgres *> $null
        if ($LASTEXITCODE -ne 0) { throw "Running as root, yet there is no 'postgres' user to run the server as (Debian's postgresql package creates it: $InstallCommand)." }
    }

    $folder = New-EglClusterFolder $TempRoot $asRoot
    $cluster = New-EglClusterObject ([ordered]@{
            Version               = $null
            VersionNumber         = 0
            Host                  = '127.0.0.1'
            Port                  = 0
            Database              = $Database
            UserName              = $UserName
            Password              = New-EglPassword
            AdminUserName         = $AdminUserName
            AdminPassword         = New-EglPassword
            ConnectionString      = $null
            AdminConnectionString = $null
            DataDirectory         = Join-Path $folder 'data'
            Folder                = $folder
            SocketDirectory       = $folder
            BinDirectory          = $BinDirectory
            Psql                  = $psql
            LogFile               = Join-Path $folder 'postgres.log'
            RunAs                 = $(if ($asRoot) { 'postgres' } else { '' })
        })
    try {
        # Who made it (read by Remove-EglPostgresLeftover when that process is gone); no secret in it.
        $owner = [ordered]@{ ProcessId = $PID; ProcessStartTicks = Get-EglProcessStartTicks $PID; BinDirectory = $BinDirectory; RunAs = $cluster.RunAs }
        [IO.File]::WriteAllText((Join-Path $folder 'owner.json'), ($owner | ConvertTo-Json -Compress), $Utf8)
        if ($asRoot) {
            $r = Invoke-EglProcess -FilePath 'chown' -ArgumentList @('-R', 'postgres:postgres', $folder)
            if ($r.ExitCode -ne 0) { throw "chown postgres '$folder' failed: $($r.StdErr.Trim())" }
        }

        # No --pwfile: the superuser's password is set below as a SCRAM verifier (never written to disk in clear).
        $initdb = @('-D', $cluster.DataDirectory, '-U', $AdminUserName, '--auth-local=trust', '--auth-host=scram-sha-256',
            '--encoding=UTF8', '--locale=C', '--no-sync', '--no-instructions')
        $r = Invoke-EglProcess -FilePath (Join-Path $BinDirectory 'initdb') -ArgumentList $initdb -AsUser $cluster.RunAs -WorkingDirectory $folder -TimeoutSec $TimeoutSec
        if ($r.ExitCode -ne 0) { throw "initdb failed (exit code $($r.ExitCode)): $(($r.StdErr + $r.StdOut).Trim())" }
        [IO.File]::AppendAllText((Join-Path $cluster.DataDirectory 'postgresql.conf'), "`ninclude = 'eglwater.conf'`n", $Utf8)

        $started = $false
        for ($attempt = 1; $attempt -le 5 -and -not $started; $attempt++) {
            $cluster.Port = Get-EglFreeTcpPort
            Write-EglClusterConfig $cluster
            $started = Start-EglPostgresServer $cluster $TimeoutSec
            if (-not $started) { Write-Verbose "Port $($cluster.Port) was taken before the server bound it: another one" }
        }
        if (-not $started) { throw "The server could not bind a free port on 127.0.0.1 in 5 attempts. Server log:`n$(Get-EglLogTail $cluster)" }

        $verifier = New-EglScramVerifier $cluster.Password
        $adminVerifier = New-EglScramVerifier $cluster.AdminPassword
        $sql = @"
ALTER ROLE $AdminUserName PASSWORD '$adminVerifier';
CREATE ROLE $UserName LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION PASSWORD '$verifier';
CREATE DATABASE $Database OWNER $UserName;
"@
        $null = Invoke-EglPsql -Cluster $cluster -Sql $sql -Admin -Database 'postgres'
        $version = Invoke-EglPsql -Cluster $cluster -Sql "SELECT current_setting('server_version') AS v, current_setting('server_version_num')::int AS n" -Admin -Database 'postgres'
        $cluster.Version = ($version.v -split ' ')[0]
        $cluster.VersionNumber = [int]$version.n
        $cluster.ConnectionString = "Host=$($cluster.Host);Port=$($cluster.Port);Database=$Database;Username=$UserName"
        $cluster.AdminConnectionString = "Host=$($cluster.Host);Port=$($cluster.Port);Database=postgres;Username=$AdminUserName"
    } catch {
        $failure = $_
        try { Stop-EglPostgres -Cluster $cluster } catch { Write-Verbose "Cleaning up after the failed start: $_" }
        throw (Hide-EglSecret "Could not start a throw-away PostgreSQL: $($failure.Exception.Message)" @($cluster.Password, $cluster.AdminPassword))
    }
    $cluster
}

function Stop-EglPostgres {
    <#
    .SYNOPSIS
    Stops the cluster's server (pg_ctl -m immediate, or fast) and deletes its folder. Safe to call twice, and on a
    cluster whose start failed half-way.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, ValueFromPipeline)] [AllowNull()] $Cluster,
        [ValidateSet('immediate', 'fast')] [string] $Mode = 'immediate'
    )
    process {
        if (-not $Cluster) { return }
        if ($Cluster.Folder -and (Test-Path -LiteralPath $Cluster.Folder)) {
            Stop-EglPostgresServer $Cluster $Mode
            if ((Split-Path -Leaf $Cluster.Folder) -notlike "$FolderPrefix*") { throw "Refusing to delete '$($Cluster.Folder)': not a folder Start-EglPostgres made." }
            Remove-Item -LiteralPath $Cluster.Folder -Recurse -Force
        }
    }
}

function Suspend-EglPostgres {
    <#
    .SYNOPSIS
    Makes the server disappear as a crash would (pg_ctl -m immediate stop), keeping its data directory and port:
    Resume-EglPostgres starts it again (with crash recovery). Idempotent.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Cluster, [ValidateSet('immediate', 'fast')] [string] $Mode = 'immediate')
    process { Stop-EglPostgresServer $Cluster $Mode }
}

function Resume-EglPostgres {
    <#
    .SYNOPSIS
    Starts a suspended server again on the same data directory and port, and waits until it accepts connections.
    Does nothing when it is running. Throws when the port has been taken meanwhile.
    #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Cluster, [int] $TimeoutSec = 60)
    process {
        if (-not (Test-Path -LiteralPath $Cluster.DataDirectory)) { throw "The cluster at '$($Cluster.DataDirectory)' is gone (stopped with Stop-EglPostgres)." }
        $id = Get-EglPostmasterId $Cluster
        if ($id -and -not (Test-EglProcessGone $id)) {
            $status = Invoke-EglPgCtl $Cluster @('status')
            if ($status.ExitCode -eq 0) { return }
        }
        if (-not (Start-EglPostgresServer $Cluster $TimeoutSec)) {
            throw "Port $($Cluster.Port) on 127.0.0.1 was taken while the server was down: it cannot come back on it. Server log:`n$(Get-EglLogTail $Cluster)"
        }
    }
}

function Restart-EglPostgres {
    <# .SYNOPSIS Stops the server (fast, or immediate) and starts it again: same data directory, same port. #>
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline)] $Cluster, [ValidateSet('immediate', 'fast')] [string] $Mode = 'fast', [int] $TimeoutSec = 60)
    process {
        Suspend-EglPostgres -Cluster $Cluster -Mode $Mode
        Resume-EglPostgres -Cluster $Cluster -TimeoutSec $TimeoutSec
    }
}

function Invoke-EglPsql {
    <#
    .SYNOPSIS
    Runs SQL with psql over the cluster's unix socket (as $Cluster.UserName, or the superuser with -Admin) and
    returns the rows of the result as objects (every value a string, NULL as $null). Throws with psql's error on
    failure (ON_ERROR_STOP). Statements without a result (DDL, INSERT without RETURNING) return nothing; give one
    query per call (several results would run together).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)] $Cluster,
        [Parameter(Mandatory)] [string] $Sql,
        [switch] $Admin,
        # Another database of the cluster (default: $Cluster.Database).
        [string] $Database,
        [int] $TimeoutSec = 60
    )
    $user = if ($Admin) { $Cluster.AdminUserName } else { $Cluster.UserName }
    if (-not $Database) { $Database = $Cluster.Database }
    $psql = if ($Cluster.PSObject.Properties['Psql'] -and $Cluster.Psql) { $Cluster.Psql } else { Get-EglPsqlPath $Cluster.BinDirectory }
    $arguments = @('-X', '-q', '-v', 'ON_ERROR_STOP=1', '--csv', '-P', "null=$NullMarker",
        '-h', $Cluster.SocketDirectory, '-p', "$($Cluster.Port)", '-U', $user, '-d', $Database, '-f', '-')
    # The SQL goes on stdin: nothing of it shows in the process list.
    $r = Invoke-EglProcess -FilePath $psql -ArgumentList $arguments -InputText $Sql -WorkingDirectory $Cluster.Folder -TimeoutSec $TimeoutSec -Environment @{ PGCLIENTENCODING = 'UTF8'; PGCONNECT_TIMEOUT = '10' }
    if ($r.ExitCode -ne 0) {
        $message = Hide-EglSecret ($r.StdErr.Trim()) @($Cluster.Password, $Cluster.AdminPassword)
        throw "psql failed (exit code $($r.ExitCode)) as $user on $($Cluster.Host):$($Cluster.Port)/${Database}: $message"
    }
    if (-not $r.StdOut.Trim()) { return }
    foreach ($row in ($r.StdOut | ConvertFrom-Csv)) {
        foreach ($p in $row.PSObject.Properties) { if ($p.Value -eq $NullMarker) { $p.Value = $null } }
        $row
    }
}

function Get-EglPostgresEnvironment {
    <#
    .SYNOPSIS
    The environment variables that hand a cluster to another process (build.ps1 sets them for the Pester run):
    EGLWATER_PG_CLUSTER (the whole object as JSON), EGLWATER_PG_CONNECTION (no password), EGLWATER_PG_PASSWORD,
    EGLWATER_PG_ADMIN_PASSWORD, EGLWATER_PG_PORT, EGLWATER_PG_BIN, EGLWATER_PG_FOLDER.
    #>
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param([Parameter(Mandatory)] $Cluster)
    $json = $Cluster | Select-Object -Property * | ConvertTo-Json -Compress
    [ordered]@{
        EGLWATER_PG_CLUSTER        = $json
        EGLWATER_PG_CONNECTION     = $Cluster.ConnectionString
        EGLWATER_PG_PASSWORD       = $Cluster.Password
        EGLWATER_PG_ADMIN_PASSWORD = $Cluster.AdminPassword
        EGLWATER_PG_PORT           = "$($Cluster.Port)"
        EGLWATER_PG_BIN            = $Cluster.BinDirectory
        EGLWATER_PG_FOLDER         = $Cluster.Folder
    }
}

function Get-EglPostgresFromEnvironment {
    <#
    .SYNOPSIS
    The cluster build.ps1 started for the Pester run (from EGLWATER_PG_CLUSTER), with the same members as
    Start-EglPostgres's result, so Invoke-EglPsql, Suspend-EglPostgres, Resume-EglPostgres work on it.
    #>
    [CmdletBinding()]
    param()
    if (-not $env:EGLWATER_PG_CLUSTER) {
        throw 'No PostgreSQL cluster for the tests (EGLWATER_PG_CLUSTER is not set): run them through ./build.ps1 -Task Test, or start one with Start-EglPostgres (tools/EglPostgres.psm1).'
    }
    $values = [ordered]@{}
    foreach ($p in ($env:EGLWATER_PG_CLUSTER | ConvertFrom-Json).PSObject.Properties) { $values[$p.Name] = $p.Value }
    $values.Port = [int]$values.Port
    $values.VersionNumber = [int]$values.VersionNumber
    New-EglClusterObject $values
}

function Remove-EglPostgresLeftover {
    <#
    .SYNOPSIS
    Stops and deletes the clusters under the temporary folder whose starting process is gone (a test run killed
    before its clean-up). Clusters of live processes are left alone. Returns the folders removed.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param([string] $TempRoot = [IO.Path]::GetTempPath())
    foreach ($root in @($TempRoot, '/tmp') | Select-Object -Unique) {
        if (-not (Test-Path -LiteralPath $root -PathType Container)) { continue }
        foreach ($dir in Get-ChildItem -LiteralPath $root -Directory -Filter "$FolderPrefix*" -ErrorAction Ignore) {
            $ownerFile = Join-Path $dir.FullName 'owner.json'
            if (-not (Test-Path -LiteralPath $ownerFile)) { continue }
            try { $owner = Get-Content -LiteralPath $ownerFile -Raw | ConvertFrom-Json } catch { continue }
            $id = [int]$owner.ProcessId
            if (-not (Test-EglProcessGone $id) -and "$(Get-EglProcessStartTicks $id)" -eq "$($owner.ProcessStartTicks)") { continue }
            $leftover = [pscustomobject]@{
                Folder = $dir.FullName; DataDirectory = Join-Path $dir.FullName 'data'; BinDirectory = $owner.BinDirectory; RunAs = $owner.RunAs
            }
            try {
                Stop-EglPostgres -Cluster $leftover
                $dir.FullName
            } catch {
                Write-Warning "Could not remove the leftover cluster $($dir.FullName): $($_.Exception.Message)"
            }
        }
    }
}

Export-ModuleMember -Function Assert-EglPostgres, Start-EglPostgres, Stop-EglPostgres, Suspend-EglPostgres, Resume-EglPostgres,
    Restart-EglPostgres, Invoke-EglPsql, Get-EglPostgresEnvironment, Get-EglPostgresFromEnvironment, Remove-EglPostgresLeftover
