# Dependency isolation: another module loaded an older Polly.Core first; EglWater (a binary root module in the
# default context) still loads its backends with its own Polly.Core (8.9.1) into the module's AssemblyLoadContext
# at first use, and a retried request succeeds. Runs in a fresh pwsh, where nothing is loaded yet.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'FreshProcess.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'

    # Polly.Core 8.1.0 from NuGet, cached under .tools/ (the build's tool cache).
    $tools = Join-Path $PSScriptRoot '../../.tools'
    $script:OldPolly = Join-Path $tools 'polly/polly.core/8.1.0/lib/net6.0/Polly.Core.dll'
    if (-not (Test-Path $OldPolly)) {
        & dotnet package download 'Polly.Core@8.1.0' -o (Join-Path $tools 'polly') | Out-Host
        if ($LASTEXITCODE -ne 0) { throw 'Could not download Polly.Core 8.1.0.' }
    }

    $child = {
        param($ModulePath, $PollyPath, $Target, $Login, $Password, $AuthKey)
        $ErrorActionPreference = 'Stop'
        $result = [ordered]@{}

        # Another module's Polly.Core, loaded first into the default context.
        Add-Type -Path $PollyPath
        $describe = {
            param($a)
            '{0} {1} [{2}]' -f $a.GetName().Name, [Diagnostics.FileVersionInfo]::GetVersionInfo($a.Location).ProductVersion.Split('+')[0], [Runtime.Loader.AssemblyLoadContext]::GetLoadContext($a).Name
        }
        $polly = { [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Polly.Core' } | ForEach-Object { & $describe $_ } | Sort-Object }

        $watch = [Diagnostics.Stopwatch]::StartNew()
        Import-Module $ModulePath
        $result.ImportMs = [math]::Round($watch.Elapsed.TotalMilliseconds, 1)
        $result.PollyAfterImport = @(& $polly)
        $result.EglWater = & $describe ([EglWater.EglIndexReading].Assembly)
        $result.BackendsAfterImport = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'EglWater.Backends' }).Count

        # A proxy in front of the simulator that answers the first request 503 (Retry-After: 0).
        # HttpListener cannot bind port 0: take a port the system says is free, and try another if something
        # took it in between (the race is then a retry, not a failure).
        $listener = $null
        for ($try = 0; -not $listener -and $try -lt 20; $try++) {
            $tcp = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0); $tcp.Start(); $port = $tcp.LocalEndpoint.Port; $tcp.Stop()
            $candidate = [System.Net.HttpListener]::new()
            $candidate.Prefixes.Add("http://127.0.0.1:$port/")
            try { $candidate.Start(); $listener = $candidate } catch [System.Net.HttpListenerException] { $candidate.Close() }
        }
        if (-not $listener) { throw 'No free loopback port for the proxy after 20 tries.' }
        $seen = [System.Collections.Concurrent.ConcurrentQueue[string]]::new()
        $job = Start-ThreadJob -ArgumentList $listener, $seen, $Target -ScriptBlock {
            param($listener, $seen, $target)
            $http = [System.Net.Http.HttpClient]::new()
            $skip = 'Host', 'Content-Length', 'Content-Type', 'Connection', 'Expect', 'Transfer-Encoding'
            while ($listener.IsListening) {
                try { $ctx = $listener.GetContext() } catch { break }
                $path = $ctx.Request.Url.AbsolutePath
                if ($seen.Count -eq 0) {
                    $seen.Enqueue("$path 503")
                    $ctx.Response.StatusCode = 503
                    $ctx.Response.Headers.Add('Retry-After', '0')
                    $ctx.Response.Close()
                    continue
                }
                $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::new($ctx.Request.HttpMethod), $target.TrimEnd('/') + $ctx.Request.Url.PathAndQuery)
                $body = [IO.MemoryStream]::new(); $ctx.Request.InputStream.CopyTo($body)
                $request.Content = [System.Net.Http.ByteArrayContent]::new($body.ToArray())
                if ($ctx.Request.ContentType) { $null = $request.Content.Headers.TryAddWithoutValidation('Content-Type', $ctx.Request.ContentType) }
                foreach ($name in $ctx.Request.Headers.AllKeys) { if ($name -notin $skip) { $null = $request.Headers.TryAddWithoutValidation($name, $ctx.Request.Headers[$name]) } }
                $response = $http.Send($request)
                $bytes = $response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult()
                $seen.Enqueue("$path $([int]$response.StatusCode)")
                $ctx.Response.StatusCode = [int]$response.StatusCode
                if ($response.Content.Headers.ContentType) { $ctx.Response.ContentType = $response.Content.Headers.ContentType.ToString() }
                $ctx.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                $ctx.Response.Close()
            }
        }
        try {
            $cred = [pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))
            $verbose = Connect-Egl -Credential $cred -AuthKey $AuthKey -BaseUri "http://127.0.0.1:$port/ws" -MaximumRetryCount 2 -Verbose 4>&1
            $result.Verbose = @($verbose | ForEach-Object { "$_" })
            $rows = @(Get-EglIndex -StartDate 2026-03-01 -EndDate 2026-03-10)
            $result.Rows = $rows.Count
            $result.RowsAreTyped = [bool]($rows.Count -and -not ($rows | Where-Object { $_ -isnot [EglWater.EglIndexReading] }))
        } finally {
            $listener.Stop()
            $job | Wait-Job -Timeout 10 | Out-Null
            $job | Remove-Job -Force
        }
        $result.Requests = @($seen.ToArray())
        $result.PollyAfterRequests = @(& $polly)
        $result.Backends = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'EglWater.Backends' } | ForEach-Object { & $describe $_ })
        'RESULT:' + ($result | ConvertTo-Json -Compress -Depth 4)
    }
    $run = Invoke-FreshPwsh -Script $child.ToString() -Arguments @{
        ModulePath = $ModulePath; PollyPath = (Resolve-Path $OldPolly).Path; Target = $Sim.RootUri.ToString()
        Login = $DemoLogin; Password = $DemoPassword; AuthKey = $DemoAuthKey
    }
    $script:R = ConvertFrom-FreshResult $run
    Write-Host ("    Import-Module EglWater took {0} ms in a fresh pwsh (after Polly.Core 8.1.0)" -f $R.ImportMs)
}

AfterAll {
    Stop-EglSimulator $Sim
}

Describe 'Dependency isolation (PowerShell 7)' {
    It 'imports as a binary root module in the default context, without loading any dependency' {
        $R.PollyAfterImport | Should -Be @('Polly.Core 8.1.0 [Default]')
        $R.EglWater | Should -BeLike 'EglWater * `[Default`]'
        $R.BackendsAfterImport | Should -Be 0
    }

    It 'retries a request (503, then success) with its own Polly.Core 8.9.1 while 8.1.0 sits in the default context' {
        $R.Requests[0] | Should -Be '/ws/connect.asp 503'
        $R.Requests[1] | Should -Be '/ws/connect.asp 200'
        ($R.Verbose -join "`n") | Should -Match 'Retry 1/2'
        $R.PollyAfterRequests | Should -Be @('Polly.Core 8.1.0 [Default]', 'Polly.Core 8.9.1 [EglWater]')
    }

    It 'loads its backends at first use, into its own context, once' {
        $R.Backends | Should -HaveCount 1
        $R.Backends[0] | Should -BeLike 'EglWater.Backends * `[EglWater`]'
    }

    It 'returns data whose type stays loadable by name ([EglWater.EglIndexReading])' {
        $R.Rows | Should -Be 10
        $R.RowsAreTyped | Should -BeTrue
    }
}

Describe 'Module layout' {
    It 'keeps every dependency out of the root assembly''s folders, where default probing would find it' {
        $root = Split-Path $ModulePath
        @(Get-ChildItem $root -Filter *.dll).Count | Should -Be 0
        foreach ($edition in 'core', 'desktop') {
            @(Get-ChildItem (Join-Path $root $edition) -Filter *.dll).Name | Should -Be @('EglWater.dll')
            foreach ($dll in 'EglWater.Backends.dll', 'Polly.Core.dll', 'Microsoft.Data.Sqlite.dll', 'SQLitePCLRaw.provider.e_sqlite3.dll') {
                Join-Path $root "$edition/Dependencies/$dll" | Should -Exist
            }
        }
        # The native SQLite of every platform the module claims, and System.Text.Json for Windows PowerShell only.
        foreach ($rid in 'linux-x64', 'linux-arm64', 'win-x64', 'osx-x64', 'osx-arm64') { Join-Path $root "core/Dependencies/runtimes/$rid/native" | Should -Exist }
        foreach ($rid in 'win-x64', 'win-x86', 'win-arm64') { Join-Path $root "desktop/Dependencies/runtimes/$rid/native/e_sqlite3.dll" | Should -Exist }
        Join-Path $root 'desktop/Dependencies/System.Text.Json.dll' | Should -Exist
        Join-Path $root 'core/Dependencies/System.Text.Json.dll' | Should -Not -Exist
    }

    It 'shares one root assembly and one backends context between runspaces' {
        [Runtime.Loader.AssemblyLoadContext]::GetLoadContext([EglWater.EglIndexReading].Assembly).Name | Should -Be 'Default'
        $other = Start-ThreadJob { Import-Module $using:ModulePath; [EglWater.EglIndexReading].Assembly.GetHashCode() } | Receive-Job -Wait -AutoRemoveJob
        $other | Should -Be ([EglWater.EglIndexReading].Assembly.GetHashCode())
        @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'EglWater.Backends' }).Count | Should -BeLessOrEqual 1
    }
}
