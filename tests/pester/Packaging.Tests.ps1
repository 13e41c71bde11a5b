# The manifest and the package: Test-ModuleManifest, one version, and the .nupkg of ./build.ps1 -Task Package
# installed with Install-PSResource from a temporary folder repository, then imported by name in a fresh pwsh.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'FreshProcess.ps1')
    $script:ModuleRoot = Split-Path $ModulePath
    $script:Manifest = Test-ModuleManifest -Path $ModulePath -ErrorAction Stop
    . (Join-Path $PSScriptRoot '../../tools/Read-Manifest.ps1')
    $script:Data = Read-EglManifest $ModulePath
    $script:PackageOut = Join-Path (Split-Path $ModuleRoot) 'package'
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
}

Describe 'Manifest' {
    It 'passes Test-ModuleManifest' {
        $Manifest.Name | Should -Be 'EglWater'
    }

    It 'declares Desktop and Core, PowerShell 5.1, explicit exports and the format file' {
        $Data.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $Data.PowerShellVersion | Should -Be '5.1'
        $Data.FunctionsToExport.Count | Should -Be 0
        $Data.AliasesToExport.Count | Should -Be 0
        $Data.FormatsToProcess | Should -Be @('EglWater.Format.ps1xml')
        $Data.CmdletsToExport | Should -Not -Contain '*'
        @(Get-Command -Module EglWater).Name | Sort-Object | Should -Be (@($Data.CmdletsToExport) | Sort-Object)
    }

    It 'has the gallery metadata: tags for editions and platforms, project and license URIs, release notes' {
        foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') { $Data.PrivateData.PSData.Tags | Should -Contain $tag }
        $Manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $Manifest.LicenseUri | Should -Not -BeNullOrEmpty
        $Manifest.ReleaseNotes | Should -Not -BeNullOrEmpty
        Join-Path $ModuleRoot 'LICENSE' | Should -Exist
    }

    It 'has one version: the assemblies carry the manifest''s version' {
        $version = [version]$Data.ModuleVersion
        foreach ($dll in 'core/EglWater.dll', 'desktop/EglWater.dll', 'core/Dependencies/EglWater.Backends.dll', 'desktop/Dependencies/EglWater.Backends.dll') {
            $v = [Reflection.AssemblyName]::GetAssemblyName((Join-Path $ModuleRoot $dll)).Version
            '{0}.{1}.{2}' -f $v.Major, $v.Minor, $v.Build | Should -Be $version.ToString(3)
        }
    }
}

Describe 'Package' {
    BeforeAll {
        $script:Version = $Data.ModuleVersion
        $script:Nupkg = Join-Path $PackageOut "EglWater.$Version.nupkg"
    }

    It 'lays out the versioned module folder out/package/EglWater/<version>' {
        $folder = Join-Path $PackageOut "EglWater/$Version"
        Test-ModuleManifest (Join-Path $folder 'EglWater.psd1') | Should -Not -BeNullOrEmpty
        foreach ($f in 'core/EglWater.dll', 'desktop/EglWater.dll', 'core/Dependencies/EglWater.Backends.dll', 'desktop/Dependencies/EglWater.Backends.dll',
            'core/Dependencies/Polly.Core.dll', 'desktop/Dependencies/Polly.Core.dll', 'EglWater.Format.ps1xml', 'LICENSE', 'en-US/EglWater.dll-Help.xml', 'en-US/about_EglWater.help.txt') {
            Join-Path $folder $f | Should -Exist
        }
    }

    It 'ships SQLite''s native library for each platform PowerShell 7 runs on, and for Windows PowerShell' {
        $folder = Join-Path $PackageOut "EglWater/$Version"
        foreach ($native in 'linux-x64/native/libe_sqlite3.so', 'linux-arm64/native/libe_sqlite3.so', 'win-x64/native/e_sqlite3.dll', 'osx-x64/native/libe_sqlite3.dylib', 'osx-arm64/native/libe_sqlite3.dylib') {
            Join-Path $folder "core/Dependencies/runtimes/$native" | Should -Exist
        }
        foreach ($native in 'win-x64/native/e_sqlite3.dll', 'win-x86/native/e_sqlite3.dll', 'win-arm64/native/e_sqlite3.dll') {
            Join-Path $folder "desktop/Dependencies/runtimes/$native" | Should -Exist
        }
    }

    It 'writes a .nupkg with the module inside' {
        $Nupkg | Should -Exist
        Add-Type -AssemblyName System.IO.Compression.FileSystem
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Nupkg)
        try { $entries = $zip.Entries.FullName } finally { $zip.Dispose() }
        $entries | Should -Contain 'EglWater.psd1'
        $entries | Should -Contain 'core/EglWater.dll'
        $entries | Should -Contain 'desktop/EglWater.dll'
        $entries | Should -Contain 'core/Dependencies/Polly.Core.dll'
        $entries | Should -Contain 'desktop/Dependencies/EglWater.Backends.dll'
        $entries | Should -Contain 'en-US/EglWater.dll-Help.xml'
    }

    It 'installs with Install-PSResource from a temporary folder repository, imports by name in a fresh pwsh and works' {
        # Everything PSResourceGet and PowerShell keep per user (the repository list, the CurrentUser
        # module folder) lives under HOME / XDG_DATA_HOME on Linux and macOS: the child processes get
        # temporary ones, so Install-PSResource -Scope CurrentUser installs into a temporary module path
        # and the user's own repository registrations and modules are neither read nor changed.
        # (On Windows these folders do not follow environment variables; use Save-PSResource -Path there.)
        $temp = Join-Path ([IO.Path]::GetTempPath()) ("eglwater-install-" + [guid]::NewGuid().ToString('n'))
        $repo = New-Item -ItemType Directory -Path (Join-Path $temp 'repo') -Force
        Copy-Item $Nupkg $repo.FullName
        # The folders must exist: .NET answers '' for a special folder that does not, and PSResourceGet
        # would then write its repository store relative to the working directory.
        $data = New-Item -ItemType Directory -Path (Join-Path $temp 'home/.local/share') -Force
        $childEnv = @{ HOME = (Join-Path $temp 'home'); XDG_DATA_HOME = $data.FullName; PSModulePath = '' }
        $userStore = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
        $before = if (Test-Path $userStore) { (Get-FileHash $userStore).Hash } else { 'none' }
        try {
            $install = Invoke-FreshPwsh -Environment $childEnv -Arguments @{ Repo = $repo.FullName; Temp = $temp } -Script {
                param($Repo, $Temp)
                $ErrorActionPreference = 'Stop'
                Register-PSResourceRepository -Name EglWaterTest -Uri $Repo -Trusted
                Install-PSResource -Name EglWater -Repository EglWaterTest -Scope CurrentUser -TrustRepository -Quiet
                $installed = Get-InstalledPSResource -Name EglWater -Scope CurrentUser
                Unregister-PSResourceRepository -Name EglWaterTest
                # Never leave the module in a real user folder, should the redirection not hold.
                if (-not $installed.InstalledLocation.StartsWith($Temp)) { Uninstall-PSResource -Name EglWater -Scope CurrentUser }
                $store = Join-Path ([Environment]::GetFolderPath('LocalApplicationData')) 'PSResourceGet/PSResourceRepository.xml'
                'RESULT:' + (@{ Version = "$($installed.Version)"; Path = $installed.InstalledLocation; Store = $store; StoreExists = (Test-Path $store) } | ConvertTo-Json -Compress)
            }.ToString()
            $installed = ConvertFrom-FreshResult $install
            $installed.Version | Should -Be $Version
            $installed.Path | Should -BeLike "$temp*"
            $installed.Store | Should -BeLike "$temp*"
            $installed.StoreExists | Should -BeTrue

            $use = Invoke-FreshPwsh -Environment $childEnv -Arguments @{ BaseUri = $Sim.BaseUri; Login = $DemoLogin; Password = $DemoPassword; AuthKey = $DemoAuthKey } -Script {
                param($BaseUri, $Login, $Password, $AuthKey)
                $ErrorActionPreference = 'Stop'
                $PSStyle.OutputRendering = 'PlainText'
                Import-Module EglWater
                $module = Get-Module EglWater
                $help = Get-Help Connect-Egl -Full | Out-String
                Connect-Egl -Credential ([pscredential]::new($Login, (ConvertTo-SecureString $Password -AsPlainText -Force))) -AuthKey $AuthKey -BaseUri $BaseUri
                $rows = @(Get-EglConsumption -StartDate 2026-03-01 -EndDate 2026-03-07)
                # The history store: SQLite and its native library load from the installed package.
                $sync = Sync-EglHistory -StartDate 2026-01-01
                $stored = @(Get-EglConsumption -HistoryPath $sync.Path -StartDate 2026-03-01 -EndDate 2026-03-07)
                'RESULT:' + (@{ Base = $module.ModuleBase; Version = "$($module.Version)"; Help = $help; Rows = $rows.Count; Type = $rows[0].GetType().FullName
                    StorePath = $sync.Path; DaysAdded = $sync.DaysAdded; Same = (($rows | ConvertTo-Json -Compress) -eq ($stored | ConvertTo-Json -Compress)) } | ConvertTo-Json -Compress)
            }.ToString()
            $used = ConvertFrom-FreshResult $use
            $used.Base | Should -BeLike "$temp*"
            $used.Version | Should -Be $Version
            $used.Help | Should -Match 'Logs in to the Eau du Grand Lyon'
            $used.Help | Should -Match 'Get-AutomationPSCredential'
            $used.Rows | Should -Be 7
            $used.Type | Should -Be 'EglWater.EglConsumption'
            $used.StorePath | Should -Be (Join-Path $data.FullName 'EglWater/history.db')
            $used.DaysAdded | Should -BeGreaterThan 60
            $used.Same | Should -BeTrue
        } finally {
            Remove-Item $temp -Recurse -Force -ErrorAction SilentlyContinue
        }
        $after = if (Test-Path $userStore) { (Get-FileHash $userStore).Hash } else { 'none' }
        $after | Should -Be $before -Because 'the user''s repository registrations are left as they were'
        Join-Path (Get-Location) 'PSResourceGet' | Should -Not -Exist
    }
}

AfterAll {
    Stop-EglSimulator $Sim
}
