# The browser harness itself (tests/pester/Browser.ps1 and tests/EglWater.BrowserCheck): on a hand-written page
# whose layout is known beforehand, on a page with deliberate faults (each must be reported), and on the report
# writer's sample pages. Chromium is Debian's: installed when missing as root, otherwise a failure that names
# the command to run — never a skip.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Browser.ps1')
    $script:Fixtures = Join-Path $PSScriptRoot '../EglWater.BrowserCheck/fixtures'
    $script:Invariant = [Globalization.CultureInfo]::InvariantCulture
    $script:Chromium = Assert-Chromium
    function script:WidthOf($Facts, [int] $Width) { $Facts.widths | Where-Object viewportWidth -EQ $Width }
}

Describe 'BrowserCheck on a page with no fault' {
    BeforeAll {
        $script:Png = Join-Path $TestDrive 'good.png'
        $script:Facts = Invoke-BrowserCheck -Page (Join-Path $Fixtures 'good-page.html') -Width 360, 1600 -Screenshot $Png
    }

    It 'reads the title, the language and no script' {
        $Facts.title | Should -Be 'Good fixture'
        $Facts.lang | Should -Be 'en'
        $Facts.scripts | Should -Be 0
        $Facts.browserVersion | Should -Match '^\d+\.'
    }

    It 'reports no console message, no page error and no request' {
        @($Facts.console).Count | Should -Be 0
        @($Facts.pageErrors).Count | Should -Be 0
        @($Facts.requests).Count | Should -Be 0
    }

    It 'measures each chart as laid out: min-width 520 px at 360, the body''s 1000 px less paddings and margins at 1600' {
        # 360: the CSS min-width (520 px, scrolling inside its box) and the 3:1 viewBox. 1600: 1000 - 2*16 (body
        # padding) - 2*40 (figure margins) = 888 px wide, 296 px high.
        foreach ($case in @{ W = 360; Width = 520; Height = 173.33 }, @{ W = 1600; Width = 888; Height = 296 }) {
            $svgs = @((WidthOf $Facts $case.W).svgs)
            $svgs.Count | Should -Be 2
            foreach ($svg in $svgs) {
                $svg.width | Should -Be $case.Width
                $svg.height | Should -BeGreaterOrEqual ($case.Height - 0.01)
                $svg.height | Should -BeLessOrEqual ($case.Height + 0.01)
                $svg.role | Should -Be 'img'
            }
        }
        $at360 = @((WidthOf $Facts 360).svgs)
        $at360[0].labelledBy | Should -Be 'Daily (litres)'
        $at360[0].scrollContainer | Should -Be 'section#s1 figure div.scroll'
        $at360[1].ariaLabel | Should -Be 'Monthly (m³)'
        $at360[1].subscription | Should -Be '222'
    }

    It 'sees no horizontal overflow at 360 and 1600 px' {
        foreach ($w in 360, 1600) {
            $at = WidthOf $Facts $w
            $at.scrollWidth | Should -Be $w
            $at.horizontalOverflow | Should -BeFalse
            @($at.overflowing).Count | Should -Be 0
        }
    }

    It 'returns every data and time element with its section and subscription' {
        $totals = @($Facts.data | Where-Object class -EQ 'total')
        $totals.subscription | Should -Be @('111', '222')
        $totals.name | Should -Be @('section#s1 data.total', 'section#s2 data.total')
        ($totals | ForEach-Object { [double]::Parse($_.value, $Invariant) } | Measure-Object -Sum).Sum | Should -Be 19.75
        $last = $Facts.times | Where-Object class -EQ 'last-day'
        $last.datetime | Should -Be '2024-12-31'
        $last.section | Should -Be 's2'
    }

    It 'reports the print layout: the second section starts a page, and Chromium prints two pages' {
        $Facts.print.printMediaMatches | Should -BeTrue
        ($Facts.print.sections | Where-Object id -EQ 's1').breakBefore | Should -Be 'auto'
        ($Facts.print.sections | Where-Object id -EQ 's2').breakBefore | Should -Be 'page'
        ($Facts.print.sections | Where-Object id -EQ 's2').pageBreakBefore | Should -Be 'always'
        $Facts.print.pdfPages | Should -Be 2
    }

    It 'writes a full-page PNG at the first width' {
        $Facts.screenshot | Should -Be $Png
        $size = Get-PngSize $Png
        $size.Width | Should -Be 360
        $size.Height | Should -Be (WidthOf $Facts 360).documentHeight
    }
}

Describe 'BrowserCheck on a page with known faults' {
    BeforeAll {
        $script:Bad = Invoke-BrowserCheck -Page (Join-Path $Fixtures 'bad-page.html') -Width 360, 1600
    }

    It 'reports the script''s console error and its uncaught exception, at each width' {
        $errors = @($Bad.console | Where-Object { $_.type -eq 'error' -and $_.text -eq 'fixture: deliberate console error' })
        $errors.width | Should -Be @(360, 1600)
        $thrown = @($Bad.pageErrors | Where-Object message -Like '*fixture: deliberate page error*')
        $thrown.width | Should -Be @(360, 1600)
        $Bad.scripts | Should -Be 1
    }

    It 'reports the image request, aborted so that nothing leaves the machine' {
        $requests = @($Bad.requests)
        $requests.url | Sort-Object -Unique | Should -Be 'http://127.0.0.1:9/x.png'
        $requests.resourceType | Sort-Object -Unique | Should -Be 'image'
        $requests.failure | Sort-Object -Unique | Should -Match 'BLOCKED_BY_CLIENT'
    }

    It 'reports the empty chart box beside the drawn one' {
        foreach ($w in 360, 1600) {
            $svgs = @((WidthOf $Bad $w).svgs)
            $empty = $svgs | Where-Object id -EQ 'empty'
            $empty.width | Should -Be 0
            $empty.height | Should -Be 0
            $empty.labelledBy | Should -Be 'Empty chart'
            $drawn = $svgs | Where-Object id -EQ 'drawn'
            $drawn.width | Should -Be 200
            $drawn.height | Should -Be 100
        }
    }

    It 'reports the 900 px block overflowing at 360 px, and no overflow at 1600 px' {
        $narrow = WidthOf $Bad 360
        $narrow.horizontalOverflow | Should -BeTrue
        $narrow.scrollWidth | Should -Be 900
        @($narrow.overflowing).name | Should -Contain 'section#bad div.wide'
        (WidthOf $Bad 1600).horizontalOverflow | Should -BeFalse
    }
}

Describe 'BrowserCheck when it cannot work' {
    It 'fails with the exit code and message of a Chromium that does not start' {
        { Invoke-BrowserCheck -Page (Join-Path $Fixtures 'good-page.html') -Chromium '/bin/false' -Width 360 -NoPrint } |
            Should -Throw '*exit code 3*Chromium could not start*'
    }

    It 'fails, naming the one command to run, when Chromium is missing and the user is not root' {
        Mock Get-ChromiumPath { $null }
        Mock Test-IsRoot { $false }
        { Assert-Chromium } | Should -Throw '*not installed*apt-get install -y chromium*'
    }
}

Describe 'BrowserCheck on the report writer''s sample pages' {
    BeforeAll {
        # Written by the xunit test ReportSampleTests (run before Pester by ./build.ps1 -Task Test); written here
        # when missing.
        $folder = if ($env:EGLWATER_REPORT_SAMPLES) { $env:EGLWATER_REPORT_SAMPLES } else { Join-Path ([IO.Path]::GetTempPath()) 'eglwater-report-sample' }
        if (-not (Get-ChildItem -Path $folder -Filter 'report-sample-*.html' -ErrorAction Ignore)) {
            $project = Join-Path $PSScriptRoot '../EglWater.Tests/EglWater.Tests.csproj'
            & dotnet test $project -c Release --no-build --nologo --filter 'FullyQualifiedName~ReportSample' | Out-Null
        }
        $pages = @(Get-ChildItem -Path $folder -Filter 'report-sample-*.html' -ErrorAction Ignore)
        if ($pages.Count -eq 0) { throw "No report-sample-*.html in '$folder': the xunit test ReportSampleTests writes them." }
        $script:Samples = foreach ($page in $pages) {
            [pscustomobject]@{ Name = $page.Name; Facts = Invoke-BrowserCheck -Page $page.FullName -Width 360, 1024, 1600 }
        }
    }

    It 'reports no console message, no page error, no request and no script on any sample' {
        foreach ($s in $Samples) {
            @($s.Facts.console).Count | Should -Be 0 -Because $s.Name
            @($s.Facts.pageErrors).Count | Should -Be 0 -Because $s.Name
            @($s.Facts.requests).Count | Should -Be 0 -Because $s.Name
            $s.Facts.scripts | Should -Be 0 -Because $s.Name
        }
    }

    It 'lays every chart out with a non-empty box at 360, 1024 and 1600 px' {
        foreach ($s in $Samples) {
            foreach ($w in $s.Facts.widths) {
                $charts = @($w.svgs | Where-Object role -EQ 'img')
                $charts.Count | Should -BeGreaterThan 0 -Because "$($s.Name) at $($w.viewportWidth) px"
                foreach ($chart in $charts) {
                    $chart.width | Should -BeGreaterThan 0 -Because "$($s.Name) $($chart.name) at $($w.viewportWidth) px"
                    $chart.height | Should -BeGreaterThan 0 -Because "$($s.Name) $($chart.name) at $($w.viewportWidth) px"
                }
            }
        }
    }

    It 'sees no horizontal overflow at 360 and 1600 px' {
        foreach ($s in $Samples) {
            foreach ($width in 360, 1600) {
                $at = WidthOf $s.Facts $width
                $at.scrollWidth | Should -Be $width -Because "$($s.Name) at $width px: $(@($at.overflowing).name -join ', ')"
            }
        }
    }

    It 'returns the headline totals (data.total) with their subscription, as invariant numbers' {
        foreach ($s in $Samples) {
            $totals = @($s.Facts.data | Where-Object class -EQ 'total')
            $totals.Count | Should -BeGreaterThan 0 -Because $s.Name
            foreach ($total in $totals) {
                $total.subscription | Should -Match '^\d+$' -Because $s.Name
                $value = 0.0
                [double]::TryParse($total.value, [Globalization.NumberStyles]::Float, $Invariant, [ref]$value) | Should -BeTrue -Because "$($s.Name): '$($total.value)'"
            }
        }
    }
}
