# Export-EglReport: reports made from the simulator, opened in headless Chromium (Debian's, installed when missing
# as root; otherwise a failure naming the command: never a skip) and checked as a person sees them. The demo
# household is read with the simulator's "today" on 2025-03-01, so that its last 12 months hold every quirk:
# the August gap (estimated), the meter change, the anomaly, the unknown letters and the pending last days.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'Browser.ps1')
    $script:Chromium = Assert-Chromium
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2025-03-01'
    $script:Root = $Sim.RootUri
    $script:PortalUri = [uri]"$($Sim.RootUri)application"
    $script:Out = New-Item -ItemType Directory -Path (Join-Path $PSScriptRoot '../../out/report') -Force
    Set-EglClock '2025-03-01T09:00:00Z'
    $script:Partner = Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri -PassThru
    $script:Culture = [cultureinfo]::CurrentCulture
    $script:UICulture = [cultureinfo]::CurrentUICulture
    function script:DataOf($Facts, [string] $Class) { @($Facts.data | Where-Object class -eq $Class) }
}

AfterAll {
    Reset-EglClock
    [cultureinfo]::CurrentCulture = $Culture
    [cultureinfo]::CurrentUICulture = $UICulture
    Set-SimToday '2025-03-01'
    $Sim | Stop-EglSimulator
}

Describe 'A year of the demo household, every quality mark' {
    BeforeAll {
        [cultureinfo]::CurrentCulture = 'en-US'; [cultureinfo]::CurrentUICulture = 'en-US'
        $script:Page = Join-Path $Out 'demo-year.html'
        $script:File = Export-EglReport -Path $Page -Session $Partner -Force -PassThru -WarningAction SilentlyContinue
        $script:Rows = @(Get-EglConsumption -Session $Partner -StartDate 2024-03-02 -EndDate 2025-03-01 -WarningAction SilentlyContinue)
        $script:Facts = Invoke-BrowserCheck -Page $Page -Width 1024, 360, 1600 -Screenshot (Join-Path $Out 'demo-year.png') -Chromium $Chromium
    }

    It 'writes the file it returns, one self-contained page well under 1 MB, with no script' {
        $File | Should -BeOfType ([IO.FileInfo])
        $File.FullName | Should -Be (Resolve-Path $Page).Path
        $File.Length | Should -BeLessThan 1MB
        $Facts.scripts | Should -Be 0
        $Facts.lang | Should -Be 'en'
        $Facts.title | Should -Be 'Water consumption'
    }

    It 'loads with no console message, no page error and no network request' {
        @($Facts.console) | Should -BeNullOrEmpty
        @($Facts.pageErrors) | Should -BeNullOrEmpty
        @($Facts.requests) | Should -BeNullOrEmpty
        (Get-Content $Page -Raw) | Should -Not -Match 'https?://(?!127\.0\.0\.1)'   # no CDN, no web font: the only URL is the source's
    }

    It 'lays out both charts with a real size at <_> px, and never wider than the screen' -ForEach 360, 1024, 1600 {
        $w = $Facts.widths | Where-Object viewportWidth -eq $_
        $w.horizontalOverflow | Should -BeFalse
        $charts = @($w.svgs | Where-Object class -like '*chart*')
        $charts | Should -HaveCount 2
        foreach ($svg in $charts) {
            $svg.width | Should -BeGreaterThan 300
            $svg.height | Should -BeGreaterThan 100
            $svg.shapes | Should -BeGreaterThan 10
            $svg.title | Should -Not -BeNullOrEmpty
        }
    }

    It 'gives as its headline total the sum of Get-EglConsumption over the range' {
        $liters = ($Rows | Where-Object { $null -ne $_.Liters } | Measure-Object Liters -Sum).Sum
        [double](DataOf $Facts 'total')[0].value | Should -Be ([math]::Round($liters / 1000, 3))
        (DataOf $Facts 'total')[0].subscription | Should -Be "$DemoSubscription"
        ($Facts.times | Where-Object class -eq 'last-day').datetime | Should -Be '2025-02-28'
    }

    It 'marks each quality the data has, with a legend entry for each' {
        $html = Get-Content $Page -Raw
        foreach ($quality in 'Estimated', 'MeterChange', 'Anomaly', 'Unknown', 'Pending') {
            $html | Should -Match "data-quality=""$quality"""
        }
        $Rows.Quality | Should -Contain 'MeterChange'
        $html | Should -Match '4 days estimated \(Aug 12, 2024 – Aug 15, 2024\), 2 days pending'
        $html | Should -Match '1 meter change \(Oct 15, 2024\)'
    }

    It 'prints on A4, one subscription per page' {
        $Facts.print.printMediaMatches | Should -BeTrue
        $Facts.print.pdfPages | Should -BeGreaterThan 0
        @($Facts.print.svgs | Where-Object { $_.width -le 0 }) | Should -BeNullOrEmpty
    }
}

Describe 'The household with a leak, on the portal, in French' {
    BeforeAll {
        Set-SimToday '2026-03-15'
        Set-EglClock '2026-03-15T09:00:00Z'
        [cultureinfo]::CurrentCulture = 'fr-FR'; [cultureinfo]::CurrentUICulture = 'fr-FR'
        $script:Leak = Connect-Egl -Credential (New-Cred 'leak@eglwater.test') -BaseUri $PortalUri -PassThru
        $script:Page = Join-Path $Out 'leak-fr.html'
        $null = Export-EglReport -Path $Page -Session $Leak -Force -WarningVariable warnings -WarningAction SilentlyContinue
        $script:Warnings = $warnings
        $script:Facts = Invoke-BrowserCheck -Page $Page -Width 360, 1280 -Screenshot (Join-Path $Out 'leak-fr.png') -Chromium $Chromium
        $script:Alerts = @(Find-EglLeak -Session $Leak -StartDate 2025-03-16 -EndDate 2026-03-15)
    }
    AfterAll {
        [cultureinfo]::CurrentCulture = 'en-US'; [cultureinfo]::CurrentUICulture = 'en-US'
        Set-SimToday '2025-03-01'
        Set-EglClock '2025-03-01T09:00:00Z'
    }

    It 'speaks French, with French numbers, and still loads nothing from the network' {
        $Facts.lang | Should -Be 'fr'
        $Facts.title | Should -Be "Consommation d'eau"
        (DataOf $Facts 'total')[0].text | Should -Match '^\d+,\d+ m³$'
        @($Facts.console) | Should -BeNullOrEmpty
        @($Facts.requests) | Should -BeNullOrEmpty
    }

    It 'lists and shades the leak alerts Find-EglLeak finds for the range' {
        $Alerts.Count | Should -Be 3
        $html = Get-Content $Page -Raw
        ([regex]::Matches($html, '<rect class="alert"')).Count | Should -Be 3
        ([regex]::Matches($html, '<tr data-alert=')).Count | Should -Be 3
        $html | Should -Match 'Hausse durable'
    }

    It 'prices the days the shipped grid knows (2026), says so, and shows no euros before' {
        "$Warnings" | Should -Match 'prices the days from 2026-01-01 only'
        [decimal](DataOf $Facts 'cost')[0].value | Should -Be ((Measure-EglCost -Session $Leak -StartDate 2026-01-01 -EndDate 2026-03-15 | Measure-Object TotalEuros -Sum).Sum)
        (Get-Content $Page -Raw) | Should -Match 'prix connus à partir du 01/01/2026'
    }

    It 'scrolls its tables sideways at 360 px instead of squeezing their words' {
        $narrow = $Facts.widths | Where-Object viewportWidth -eq 360
        $narrow.horizontalOverflow | Should -BeFalse
        @($narrow.svgs | Where-Object class -like '*chart*' | Where-Object { $_.width -le 0 -or $_.height -le 0 }) | Should -BeNullOrEmpty
    }
}

Describe 'An empty range, a store, piped rows' {
    It 'writes a page for a range with no data, that says so' {
        $page = Join-Path $Out 'empty.html'
        $null = Export-EglReport -Path $page -Session $Partner -StartDate 2010-01-01 -EndDate 2010-12-31 -Force -WarningAction SilentlyContinue
        $facts = Invoke-BrowserCheck -Page $page -Width 1024 -NoPrint -Chromium $Chromium
        @($facts.console) | Should -BeNullOrEmpty
        @($facts.pageErrors) | Should -BeNullOrEmpty
        DataOf $facts 'total' | Should -BeNullOrEmpty
        (Get-Content $page -Raw) | Should -Match 'data-subscription="1895683"'
    }

    It 'gives the same figures from a history store and from piped rows as online' {
        $store = Join-Path $TestDrive 'report.db'
        $null = Sync-EglHistory -Path $store -Session $Partner
        $online = Join-Path $TestDrive 'online.html'; $stored = Join-Path $TestDrive 'stored.html'; $piped = Join-Path $TestDrive 'piped.html'
        $range = @{ StartDate = [datetime]'2024-06-01'; EndDate = [datetime]'2024-12-31'; WarningAction = 'SilentlyContinue' }
        $null = Export-EglReport -Path $online -Session $Partner @range
        $null = Export-EglReport -Path $stored -HistoryPath $store @range
        Get-EglConsumption -Session $Partner -StartDate 2023-06-01 -EndDate 2024-12-31 -WarningAction SilentlyContinue | Export-EglReport -Path $piped @range
        $figures = { param($p) [regex]::Matches((Get-Content $p -Raw), '<data class="(\w+)" value="([^"]+)"') | ForEach-Object { $_.Value } }
        $onlineFigures = & $figures $online
        $onlineFigures.Count | Should -BeGreaterOrEqual 3
        & $figures $stored | Should -Be $onlineFigures
        & $figures $piped | Should -Be $onlineFigures
        (Get-Content $stored -Raw) | Should -Match ([regex]::Escape($store))
    }
}

Describe 'Writing the file' {
    It 'refuses an existing file without -Force, before reading anything, and leaves it as it was' {
        $page = Join-Path $TestDrive 'exists.html'
        Set-Content $page 'mine'
        $before = (Get-SimRequest $DemoLogin 'data').Count
        try { Export-EglReport -Path $page -Session $Partner } catch { $e = $_ }
        $e.FullyQualifiedErrorId | Should -Be 'EglReportExists,EglWater.Commands.ExportEglReportCommand'
        $e.CategoryInfo.Category | Should -Be 'ResourceExists'
        $e.ErrorDetails.RecommendedAction | Should -Match '-Force'
        Get-Content $page | Should -Be 'mine'
        (Get-SimRequest $DemoLogin 'data').Count | Should -Be $before
    }

    It 'replaces it with -Force, leaves no temporary file, and writes nothing with -WhatIf' {
        $page = Join-Path $TestDrive 'replace.html'
        Set-Content $page 'mine'
        $null = Export-EglReport -Path $page -Session $Partner -Force -WarningAction SilentlyContinue
        Get-Content $page -Raw | Should -Match '^<!DOCTYPE html>'
        Get-ChildItem $TestDrive -Force -Filter '*.tmp' | Should -BeNullOrEmpty
        $other = Join-Path $TestDrive 'whatif.html'
        Export-EglReport -Path $other -Session $Partner -WhatIf | Should -BeNullOrEmpty
        $other | Should -Not -Exist
    }

    It 'says EglReportWrite for a folder or a missing folder, and leaves nothing behind' {
        { Export-EglReport -Path $TestDrive -Session $Partner } | Should -Throw -ErrorId 'EglReportWrite,EglWater.Commands.ExportEglReportCommand'
        { Export-EglReport -Path (Join-Path $TestDrive 'no/such/folder/r.html') -Session $Partner -WarningAction SilentlyContinue } | Should -Throw -ErrorId 'EglReportWrite,EglWater.Commands.ExportEglReportCommand'
        Join-Path $TestDrive 'no' | Should -Not -Exist
    }

    It 'writes no secret into the page' {
        $page = Join-Path $TestDrive 'secret.html'
        $null = Export-EglReport -Path $page -Session $Partner -Force -WarningAction SilentlyContinue
        $html = Get-Content $page -Raw
        foreach ($s in @($DemoPassword, 'demo-auth-key') + @(Get-SimToken $DemoLogin)) { $html.Contains([string]$s) | Should -BeFalse }
    }
}
