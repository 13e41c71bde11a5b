# The PostgreSQL harness itself (tools/EglPostgres.psm1): the cluster build.ps1 starts for the Pester run answers on
# its port with the non-superuser's password over SCRAM and refuses a wrong one, the role owns its database and is
# no superuser, the server can vanish and come back with its data, a cluster of its own starts and leaves nothing
# behind, no output, log, file or command line shows a password, and missing binaries fail with the command to run.
# Checked with psql (PGPASSWORD in the child's environment only) and raw TCP: no Npgsql in this process.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../tools/EglPostgres.psm1') -Force
    $script:Shared = Get-EglPostgresFromEnvironment
    $script:IsRoot = $IsLinux -and ((& id -u) -eq '0')
    $script:Invariant = [cultureinfo]::InvariantCulture

    # psql over TCP to 127.0.0.1 (so the server asks for the password), the password in the child's environment only.
    function script:Invoke-TcpPsql($Cluster, [string] $Password, [string] $Sql, [string] $User = $Cluster.UserName) {
        $psi = [Diagnostics.ProcessStartInfo]::new($Cluster.Psql)
        foreach ($a in @('-X', '-A', '-t', '-w', '-h', '127.0.0.1', '-p', "$($Cluster.Port)", '-U', $User, '-d', $Cluster.Database, '-c', $Sql)) { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $psi.RedirectStandardOutput = $true
        $psi.RedirectStandardError = $true
        $psi.Environment['PGPASSWORD'] = $Password
        $psi.Environment['PGCONNECT_TIMEOUT'] = '5'
        $psi.Environment['LC_ALL'] = 'C'
        $null = $psi.Environment.Remove('PGPASSFILE')
        $p = [Diagnostics.Process]::Start($psi)
        $out = $p.StandardOutput.ReadToEndAsync(); $err = $p.StandardError.ReadToEndAsync()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; StdOut = $out.Result.Trim(); StdErr = $err.Result.Trim() }
    }

    function script:Test-TcpOpen([int] $Port) {
        $client = [Net.Sockets.TcpClient]::new()
        try { $client.ConnectAsync('127.0.0.1', $Port).Wait(3000) -and $client.Connected } catch { $false } finally { $client.Dispose() }
    }

    function script:ConvertTo-Int32BigEndian([byte[]] $Bytes, [int] $Offset) {
        (([int]$Bytes[$Offset] -shl 24) -bor ([int]$Bytes[$Offset + 1] -shl 16) -bor ([int]$Bytes[$Offset + 2] -shl 8) -bor [int]$Bytes[$Offset + 3])
    }

    # The server's first answer to a protocol 3.0 StartupMessage, read off the socket: for password authentication
    # by SCRAM it is AuthenticationSASL ('R', code 10) naming the mechanisms.
    function script:Get-AuthenticationRequest([int] $Port, [string] $User, [string] $Database) {
        $client = [Net.Sockets.TcpClient]::new('127.0.0.1', $Port)
        try {
            $stream = $client.GetStream()
            $stream.ReadTimeout = 5000
            $body = [Text.Encoding]::UTF8.GetBytes("user`0$User`0database`0$Database`0`0")
            $length = 8 + $body.Length
            # Length (big-endian), protocol 3.0, then the parameters.
            $message = [byte[]]@((($length -shr 24) -band 255), (($length -shr 16) -band 255), (($length -shr 8) -band 255), ($length -band 255), 0, 3, 0, 0) + $body
            $stream.Write($message, 0, $message.Length)
            $header = [byte[]]::new(5)
            $read = 0
            while ($read -lt 5) { $n = $stream.Read($header, $read, 5 - $read); if ($n -le 0) { throw 'closed' }; $read += $n }
            $payload = [byte[]]::new((ConvertTo-Int32BigEndian $header 1) - 4)
            $read = 0
            while ($read -lt $payload.Length) { $n = $stream.Read($payload, $read, $payload.Length - $read); if ($n -le 0) { throw 'closed' }; $read += $n }
            [pscustomobject]@{
                Type       = [char]$header[0]
                Code       = ConvertTo-Int32BigEndian $payload 0
                Mechanisms = @([Text.Encoding]::UTF8.GetString($payload, 4, $payload.Length - 4).Split([char]0, [StringSplitOptions]::RemoveEmptyEntries))
            }
        } finally { $client.Dispose() }
    }

    # Exited (a zombie counts: init reaps the detached postmaster when it gets to it).
    function script:Test-ProcessGone([int] $Id) {
        $stat = Get-Content -LiteralPath "/proc/$Id/stat" -Raw -ErrorAction Ignore
        -not $stat -or $stat.Substring($stat.LastIndexOf(')') + 2, 1) -in 'Z', 'X'
    }

    function script:Get-ClusterFolders { @(Get-ChildItem -LiteralPath ([IO.Path]::GetTempPath()), '/tmp' -Directory -Filter 'eglpg-*' -ErrorAction Ignore | ForEach-Object FullName | Sort-Object -Unique) }
}

Describe 'The cluster build.ps1 started for the Pester run' {
    It 'is handed over in EGLWATER_PG_* variables that agree with each other, the connection string without password' {
        $Shared.Host | Should -Be '127.0.0.1'
        $Shared.Database | Should -Be 'eglwater_test'
        $Shared.UserName | Should -Be 'egl_test'
        $env:EGLWATER_PG_PORT | Should -Be "$($Shared.Port)"
        $env:EGLWATER_PG_CONNECTION | Should -BeExactly "Host=127.0.0.1;Port=$($Shared.Port);Database=eglwater_test;Username=egl_test"
        $env:EGLWATER_PG_PASSWORD | Should -BeExactly $Shared.Password
        $env:EGLWATER_PG_ADMIN_PASSWORD | Should -BeExactly $Shared.AdminPassword
        $env:EGLWATER_PG_FOLDER | Should -Be $Shared.Folder
        Test-Path -LiteralPath (Join-Path $env:EGLWATER_PG_BIN 'pg_ctl') | Should -BeTrue
        $Shared.Password | Should -Match '^[A-Za-z0-9]{32}$'
        $Shared.AdminPassword | Should -Match '^[A-Za-z0-9]{32}$'
        $Shared.Password | Should -Not -Be $Shared.AdminPassword
        $Shared.ConnectionString | Should -Not -Match 'Password'
        $Shared.ConnectionString.Contains($Shared.Password) | Should -BeFalse
    }

    It 'asks for SCRAM-SHA-256 on the TCP port before anything else' {
        $auth = Get-AuthenticationRequest -Port $Shared.Port -User $Shared.UserName -Database $Shared.Database
        $auth.Type | Should -Be 'R'
        $auth.Code | Should -Be 10  # AuthenticationSASL
        $auth.Mechanisms | Should -Contain 'SCRAM-SHA-256'
        # Every TCP rule of pg_hba.conf says scram-sha-256; the stored passwords are SCRAM verifiers.
        $rules = @(Invoke-EglPsql -Cluster $Shared -Admin -Sql "SELECT type, auth_method FROM pg_hba_file_rules WHERE type <> 'local'")
        $rules.Count | Should -BeGreaterThan 0
        $rules.auth_method | Sort-Object -Unique | Should -Be 'scram-sha-256'
        $stored = Invoke-EglPsql -Cluster $Shared -Admin -Sql "SELECT rolname, left(rolpassword, 14) AS kind FROM pg_authid WHERE rolname IN ('egl_test', 'egl_admin') ORDER BY rolname"
        $stored.kind | Should -Be @('SCRAM-SHA-256$', 'SCRAM-SHA-256$')
    }

    It 'lets the non-superuser in with its password and refuses a wrong one' {
        $ok = Invoke-TcpPsql $Shared $Shared.Password 'SELECT current_user || ''|'' || current_database() || ''|'' || inet_server_port()'
        $ok.ExitCode | Should -Be 0 -Because $ok.StdErr
        $ok.StdOut | Should -Be "egl_test|eglwater_test|$($Shared.Port)"
        $bad = Invoke-TcpPsql $Shared ($Shared.Password.Substring(1) + 'x') 'SELECT 1'
        $bad.ExitCode | Should -Not -Be 0
        $bad.StdErr | Should -Match 'password authentication failed for user "egl_test"'
        $none = Invoke-TcpPsql $Shared '' 'SELECT 1'
        $none.ExitCode | Should -Not -Be 0
        $admin = Invoke-TcpPsql $Shared $Shared.AdminPassword 'SELECT current_user' -User $Shared.AdminUserName
        $admin.ExitCode | Should -Be 0 -Because $admin.StdErr
        $admin.StdOut | Should -Be 'egl_admin'
    }

    It 'gives a role that is not a superuser and owns its database, on PostgreSQL 15 or later' {
        $role = Invoke-EglPsql -Cluster $Shared -Sql 'SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolcanlogin FROM pg_roles WHERE rolname = current_user'
        $role.rolsuper | Should -Be 'f'
        $role.rolcreaterole | Should -Be 'f'
        $role.rolcreatedb | Should -Be 'f'
        $role.rolreplication | Should -Be 'f'
        $role.rolbypassrls | Should -Be 'f'
        $role.rolcanlogin | Should -Be 't'
        $owner = Invoke-EglPsql -Cluster $Shared -Sql 'SELECT pg_get_userbyid(datdba) AS owner, pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = current_database()'
        $owner.owner | Should -Be 'egl_test'
        $owner.encoding | Should -Be 'UTF8'
        { Invoke-EglPsql -Cluster $Shared -Sql 'CREATE ROLE egl_intruder' } | Should -Throw -ExpectedMessage '*permission denied*'
        $version = Invoke-EglPsql -Cluster $Shared -Sql "SELECT current_setting('server_version_num')::int AS n, current_setting('TimeZone') AS tz"
        [int]$version.n | Should -BeGreaterOrEqual 150000
        [int]$version.n | Should -Be $Shared.VersionNumber
        $Shared.Version | Should -Match '^1[5-9]\.|^[2-9]\d\.'
        $version.tz | Should -Be 'UTC'
    }

    It 'returns rows as objects: strings, NULL as $null, commas and line breaks kept; errors carry psql''s message' {
        $row = Invoke-EglPsql -Cluster $Shared -Sql 'SELECT 42 AS answer, NULL AS nothing, '''' AS empty, E''a,b\n"c"'' AS tricky'
        $row.answer | Should -BeExactly '42'
        $row.nothing | Should -BeNullOrEmpty
        $null -eq $row.nothing | Should -BeTrue
        $row.empty | Should -BeExactly ''
        $row.tricky | Should -BeExactly "a,b`n`"c`""
        @(Invoke-EglPsql -Cluster $Shared -Sql 'SELECT g FROM generate_series(1, 3) AS g').g | Should -Be @('1', '2', '3')
        Invoke-EglPsql -Cluster $Shared -Sql 'SELECT 1 WHERE false' | Should -BeNullOrEmpty
        { Invoke-EglPsql -Cluster $Shared -Sql 'SELECT * FROM no_such_table' } | Should -Throw -ExpectedMessage '*relation "no_such_table" does not exist*'
    }
}

Describe 'Suspend-EglPostgres and Resume-EglPostgres: the server vanishes mid-work and comes back' {
    BeforeAll {
        Invoke-EglPsql -Cluster $Shared -Sql 'DROP TABLE IF EXISTS egl_harness_probe; CREATE TABLE egl_harness_probe (id int PRIMARY KEY, note text)'
        Invoke-EglPsql -Cluster $Shared -Sql "INSERT INTO egl_harness_probe VALUES (1, 'before the crash')"
    }
    AfterAll {
        Resume-EglPostgres -Cluster $Shared
        Invoke-EglPsql -Cluster $Shared -Sql 'DROP TABLE IF EXISTS egl_harness_probe'
    }

    It 'makes the port refuse connections, then answer again on the same port with the committed rows kept' {
        Test-TcpOpen $Shared.Port | Should -BeTrue
        Suspend-EglPostgres -Cluster $Shared
        Suspend-EglPostgres -Cluster $Shared  # twice: nothing to do
        Test-TcpOpen $Shared.Port | Should -BeFalse
        (Invoke-TcpPsql $Shared $Shared.Password 'SELECT 1').ExitCode | Should -Not -Be 0
        { Invoke-EglPsql -Cluster $Shared -Sql 'SELECT 1' } | Should -Throw -ExpectedMessage '*psql failed*'

        Resume-EglPostgres -Cluster $Shared
        Resume-EglPostgres -Cluster $Shared  # twice: already running
        Test-TcpOpen $Shared.Port | Should -BeTrue
        $back = Invoke-TcpPsql $Shared $Shared.Password 'SELECT note FROM egl_harness_probe WHERE id = 1'
        $back.ExitCode | Should -Be 0 -Because $back.StdErr
        $back.StdOut | Should -Be 'before the crash'
    }

    It 'keeps what was committed just before an immediate stop, and Restart-EglPostgres keeps it too' {
        Invoke-EglPsql -Cluster $Shared -Sql "INSERT INTO egl_harness_probe SELECT g, 'row ' || g FROM generate_series(2, 500) AS g"
        Suspend-EglPostgres -Cluster $Shared
        Resume-EglPostgres -Cluster $Shared
        (Invoke-EglPsql -Cluster $Shared -Sql 'SELECT count(*) AS n FROM egl_harness_probe').n | Should -Be '500'
        Restart-EglPostgres -Cluster $Shared
        (Invoke-EglPsql -Cluster $Shared -Sql 'SELECT count(*) AS n, max(note) AS m FROM egl_harness_probe').n | Should -Be '500'
        (Invoke-EglPsql -Cluster $Shared -Sql 'SELECT inet_server_port() AS p' -Admin).p | Should -BeNullOrEmpty  # over the socket
        (Invoke-TcpPsql $Shared $Shared.Password 'SELECT inet_server_port()').StdOut | Should -Be "$($Shared.Port)"
    }
}

Describe 'A cluster of its own: Start-EglPostgres, Stop-EglPostgres, and no password anywhere' {
    BeforeAll {
        $script:FoldersBefore = Get-ClusterFolders
        $watch = [Diagnostics.Stopwatch]::StartNew()
        # Every stream of every harness call goes into $Printed (verbose included).
        $script:Printed = [Collections.Generic.List[string]]::new()
        $script:Own = $null
        foreach ($item in (Start-EglPostgres -Verbose *>&1)) {
            if ($item.PSObject.TypeNames -contains 'EglWater.PostgresCluster') { $script:Own = $item } else { $Printed.Add("$item") }
        }
        $script:StartSeconds = $watch.Elapsed.TotalSeconds
        $script:Postmaster = [int](Get-Content -LiteralPath (Join-Path $Own.DataDirectory 'postmaster.pid') -TotalCount 1)
    }
    AfterAll {
        if ($Own) { Stop-EglPostgres -Cluster $Own }
    }

    It 'starts within a few seconds on another free port and folder, with other passwords' {
        $StartSeconds | Should -BeLessThan 15
        $Own.Port | Should -Not -Be $Shared.Port
        $Own.Folder | Should -Not -Be $Shared.Folder
        $Own.Password | Should -Not -Be $Shared.Password
        $Own.AdminPassword | Should -Not -Be $Shared.AdminPassword
        $Own.ConnectionString | Should -BeExactly "Host=127.0.0.1;Port=$($Own.Port);Database=eglwater_test;Username=egl_test"
        (Invoke-TcpPsql $Own $Own.Password 'SELECT current_user').StdOut | Should -Be 'egl_test'
        Get-Process -Id $Postmaster | ForEach-Object ProcessName | Should -Be 'postgres'
    }

    It 'makes its folder readable by others and, as root, the cluster the postgres user''s' {
        [IO.File]::GetUnixFileMode($Own.Folder) | Should -Be ([IO.UnixFileMode]'UserRead, UserWrite, UserExecute, GroupRead, GroupExecute, OtherRead, OtherExecute')
        (Split-Path -Leaf $Own.Folder) | Should -BeLike 'eglpg-*'
        $expected = if ($IsRoot) { 'postgres' } else { & id -un }
        (& stat -c '%U' $Own.DataDirectory) | Should -Be $expected
        (& ps -o user= -p $Postmaster).Trim() | Should -Be $expected
        # Loopback only, the socket in the folder.
        (Invoke-EglPsql -Cluster $Own -Admin -Sql "SELECT current_setting('listen_addresses') AS l, current_setting('unix_socket_directories') AS s").l | Should -Be '127.0.0.1'
        Test-Path -LiteralPath (Join-Path $Own.Folder ".s.PGSQL.$($Own.Port)") | Should -BeTrue
    }

    It 'prints no password, shows none in its default view, log, files or command lines' {
        foreach ($item in (& {
                    Invoke-EglPsql -Cluster $Own -Sql 'CREATE TABLE t (x int); INSERT INTO t VALUES (1)' -Verbose
                    Invoke-EglPsql -Cluster $Own -Sql 'SELECT x FROM t' -Verbose
                    try { Invoke-EglPsql -Cluster $Own -Sql "SELECT 'x' FROM nope" } catch { $_.Exception.Message }
                    Suspend-EglPostgres -Cluster $Own -Verbose
                    try { Invoke-EglPsql -Cluster $Own -Sql 'SELECT 1' } catch { $_.Exception.Message }
                    Resume-EglPostgres -Cluster $Own -Verbose
                    Restart-EglPostgres -Cluster $Own -Verbose
                } *>&1)) { $Printed.Add(($item | Out-String)) }
        $Printed.Add(($Own | Out-String)); $Printed.Add(($Own | Format-Table | Out-String)); $Printed.Add("$Own")
        $Printed.Count | Should -BeGreaterThan 5
        $processes = (& ps -eo args) -join "`n"
        $log = Get-Content -LiteralPath $Own.LogFile -Raw
        $log | Should -Match 'database system is ready to accept connections'
        foreach ($secret in $Own.Password, $Own.AdminPassword) {
            @($Printed | Where-Object { $_.Contains($secret) }) | Should -BeNullOrEmpty
            $log.Contains($secret) | Should -BeFalse
            $processes.Contains($secret) | Should -BeFalse
        }
        # Nothing on disk holds a password in clear (the server keeps SCRAM verifiers).
        # (The passwords are ASCII: as Latin-1 text, each byte of a file is one character.)
        $files = @(Get-ChildItem -LiteralPath $Own.Folder -Recurse -File -ErrorAction Ignore | Where-Object { $_.Name -notlike '.s.PGSQL*' })
        $files.Count | Should -BeGreaterThan 100
        $holding = foreach ($file in $files) {
            $text = [Text.Encoding]::Latin1.GetString([IO.File]::ReadAllBytes($file.FullName))
            if ($text.Contains($Own.Password) -or $text.Contains($Own.AdminPassword)) { $file.FullName }
        }
        $holding | Should -BeNullOrEmpty
    }

    It 'stops: the postmaster exits, the port closes, the folder goes; a second Stop does nothing' {
        $port = $Own.Port
        Stop-EglPostgres -Cluster $Own
        Test-Path -LiteralPath $Own.Folder | Should -BeFalse
        Test-ProcessGone $Postmaster | Should -BeTrue
        Test-TcpOpen $port | Should -BeFalse
        { Stop-EglPostgres -Cluster $Own } | Should -Not -Throw
        { Resume-EglPostgres -Cluster $Own } | Should -Throw -ExpectedMessage '*is gone*'
        Get-ClusterFolders | Should -Be $FoldersBefore
    }
}

Describe 'Stop-EglPostgres on half-made clusters, and failed starts that clean up' {
    It 'deletes a folder whose server never started' {
        $folder = [IO.Directory]::CreateDirectory((Join-Path ([IO.Path]::GetTempPath()) ('eglpg-half' + [guid]::NewGuid().ToString('n').Substring(0, 8)))).FullName
        $null = New-Item -ItemType Directory -Path (Join-Path $folder 'data')
        Set-Content -LiteralPath (Join-Path $folder 'data/postmaster.pid') -Value '999999999'  # stale: no such process
        Stop-EglPostgres -Cluster ([pscustomobject]@{ Folder = $folder; DataDirectory = Join-Path $folder 'data'; BinDirectory = $Shared.BinDirectory; RunAs = $Shared.RunAs })
        Test-Path -LiteralPath $folder | Should -BeFalse
    }

    It 'stops a running server even when pg_ctl is gone (SIGQUIT to the postmaster named in postmaster.pid)' {
        $c = Start-EglPostgres
        try {
            $postmaster = [int](Get-Content -LiteralPath (Join-Path $c.DataDirectory 'postmaster.pid') -TotalCount 1)
            Test-ProcessGone $postmaster | Should -BeFalse
            $c.BinDirectory = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'no-binaries')).FullName
            Stop-EglPostgres -Cluster $c
            Test-ProcessGone $postmaster | Should -BeTrue
            Test-Path -LiteralPath $c.Folder | Should -BeFalse
            Test-TcpOpen $c.Port | Should -BeFalse
        } finally { Stop-EglPostgres -Cluster $c }
    }

    It 'removes what it made when the start fails half-way, and says why' {
        $before = Get-ClusterFolders
        Mock -ModuleName EglPostgres Start-EglPostgresServer { throw 'simulated: the server did not come up' }
        { Start-EglPostgres } | Should -Throw -ExpectedMessage '*Could not start a throw-away PostgreSQL: simulated*'
        Get-ClusterFolders | Should -Be $before
    }

    It 'stops and deletes clusters whose starting process is gone, and leaves live ones alone' {
        $c = Start-EglPostgres
        try {
            $gone = Start-Process -FilePath 'true' -PassThru
            $gone.WaitForExit()
            $ownerFile = Join-Path $c.Folder 'owner.json'
            $owner = Get-Content -LiteralPath $ownerFile -Raw | ConvertFrom-Json
            $owner.ProcessId = $gone.Id
            Set-Content -LiteralPath $ownerFile -Value ($owner | ConvertTo-Json -Compress)
            $removed = @(Remove-EglPostgresLeftover)
            $removed | Should -Contain $c.Folder
            $removed | Should -Not -Contain $Shared.Folder
            Test-Path -LiteralPath $c.Folder | Should -BeFalse
            Test-TcpOpen $c.Port | Should -BeFalse
            Test-TcpOpen $Shared.Port | Should -BeTrue
        } finally { Stop-EglPostgres -Cluster $c }
    }
}

Describe 'Assert-EglPostgres: missing server binaries are installed as root or fail with the command, never skipped' {
    BeforeAll {
        $script:SavedBin = $env:EGLWATER_PG_BIN
        $script:SavedFrontend = $env:DEBIAN_FRONTEND
        $script:Empty = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-pg')).FullName
    }
    AfterEach {
        $env:EGLWATER_PG_BIN = $SavedBin
        $env:DEBIAN_FRONTEND = $SavedFrontend
    }

    It 'returns the folder of initdb and pg_ctl' {
        $env:EGLWATER_PG_BIN = $null
        $bin = Assert-EglPostgres
        Test-Path -LiteralPath (Join-Path $bin 'initdb') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $bin 'pg_ctl') | Should -BeTrue
        $bin | Should -Match '/postgresql/\d+/bin$'
    }

    It 'fails with the command to run when EGLWATER_PG_BIN names a folder without them, and Start-EglPostgres makes nothing' {
        $env:EGLWATER_PG_BIN = $Empty
        { Assert-EglPostgres } | Should -Throw -ExpectedMessage '*holds no PostgreSQL server*sudo apt-get install -y postgresql*'
        $before = Get-ClusterFolders
        { Start-EglPostgres } | Should -Throw -ExpectedMessage '*sudo apt-get install -y postgresql*'
        { Start-EglPostgres -BinDirectory $Empty } | Should -Throw -ExpectedMessage '*sudo apt-get install -y postgresql*'
        Get-ClusterFolders | Should -Be $before
    }

    It 'fails with the command to run when not root' {
        $env:EGLWATER_PG_BIN = $null
        Mock -ModuleName EglPostgres Test-EglRoot { $false }
        Mock -ModuleName EglPostgres apt-get { throw 'apt-get must not run' }
        { Assert-EglPostgres -SearchRoot $Empty } | Should -Throw -ExpectedMessage '*not installed. Install it with: sudo apt-get install -y postgresql, then run the tests again.'
        Should -Invoke -ModuleName EglPostgres apt-get -Times 0 -Exactly
    }

    It 'as root, installs Debian''s postgresql (apt-get update first when apt knows no candidate; once more when the install fails)' {
        $env:EGLWATER_PG_BIN = $null
        $script:AptCalls = [Collections.Generic.List[string]]::new()
        Mock -ModuleName EglPostgres Test-EglRoot { $true }
        Mock -ModuleName EglPostgres pg_lsclusters { }
        Mock -ModuleName EglPostgres apt-cache { $global:LASTEXITCODE = 0; 'postgresql:', '  Installed: (none)', '  Candidate: (none)' }
        Mock -ModuleName EglPostgres apt-get {
            $script:AptCalls.Add(($args -join ' '))
            # The first install fails as on stale package lists; the second succeeds.
            $global:LASTEXITCODE = if (($args -contains 'install') -and @($script:AptCalls | Where-Object { $_ -like 'install*' }).Count -eq 1) { 100 } else { 0 }
        }
        # The mocked install puts no binaries in $Empty: the function must say so instead of returning nothing.
        { Assert-EglPostgres -SearchRoot $Empty 6>$null } | Should -Throw -ExpectedMessage '*succeeded, yet no initdb and pg_ctl*'
        $AptCalls | Should -Be @('update -q', 'install -y -q postgresql', 'update -q', 'install -y -q postgresql')
        $env:DEBIAN_FRONTEND | Should -Be 'noninteractive'
    }
}
