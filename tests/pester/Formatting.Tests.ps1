# Default views: four or five columns, fitting 80 and 120 columns, litres as whole numbers, cubic metres
# with three decimals, calendar days, no secret; every [OutputType] has a view. Run under en-US and fr-FR.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri
    $script:Readings = @(Get-EglIndex -StartDate 2026-03-01 -EndDate 2026-03-05)
    $script:Days = @(Get-EglConsumption -StartDate 2026-03-01 -EndDate 2026-03-05)
    # Aggregated rows as the cmdlet writes them (the type name EglWater.EglConsumption#Period first).
    $script:Periods = @(Get-EglConsumption -StartDate 2025-11-01 -EndDate 2026-02-28 -Granularity Month)
    $script:Session = Get-EglSession
    # The second wave's outputs, built with their public constructors: the longest values their columns hold.
    $script:Alert = [EglWater.EglLeakAlert]::new(1895683, 'ProviderEstimate', '2026-01-31', '2026-03-14', 123456.4, 236, 'Critical', 'From 2026-01-31 to 2026-03-14 the provider estimated 123,456 L lost to a leak.', $true)
    $script:Cost = [EglWater.EglCost]::new(1895683, 'Month', '2026-02-01', '2026-02-28', 28, 1234.567, [decimal]3.42, [decimal]14.37, [decimal]3.89, 'Eau du Grand Lyon 2026 (households)', $true)
    $script:Sync = [EglWater.EglSyncResult]::new(1895683, 'Partner', '/data/egl/history.db', '2022-11-01', '2026-03-14', 12270, 2, 6, $true, 0)
    $script:SavedCulture = [cultureinfo]::CurrentCulture

    function Get-Lines { param($InputObject, [int] $Width, [string] $Format = 'Format-Table')
        @(($InputObject | & $Format | Out-String -Width $Width) -split "`r?`n" | Where-Object { $_.Trim() })
    }
    # The header of a table, checked to be on one line: a wrapped header would put a label piece where the dashes go.
    function Get-Header { param([string[]] $Lines)
        $Lines[1] | Should -Match '^[- ]+$' -Because "no header may wrap: $($Lines[0]) / $($Lines[1])"
        @($Lines[0] -split ' +' | Where-Object { $_ }) -join ' '
    }
    # Number formats of the current culture (fr-FR groups with U+202F and writes a decimal comma).
    function Set-TestCulture([string] $Name) {
        [cultureinfo]::CurrentCulture = $Name
        $nf = [cultureinfo]::CurrentCulture.NumberFormat
        $script:Whole = '^\d{1,3}(' + [regex]::Escape($nf.NumberGroupSeparator) + '\d{3})*$'
        $script:ThreeDecimals = '^\d{1,3}(' + [regex]::Escape($nf.NumberGroupSeparator) + '\d{3})*' + [regex]::Escape($nf.NumberDecimalSeparator) + '\d{3}$'
    }
    Set-TestCulture $SavedCulture.Name
}

AfterAll {
    [cultureinfo]::CurrentCulture = $SavedCulture
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Table views at <W> columns under <Culture>' -ForEach @(
    @{ W = 80; Culture = 'en-US' }
    @{ W = 120; Culture = 'en-US' }
    @{ W = 80; Culture = 'fr-FR' }
    @{ W = 120; Culture = 'fr-FR' }
) {
    BeforeAll { Set-TestCulture $Culture }
    AfterAll { Set-TestCulture $SavedCulture.Name }

    It 'formats numbers in the current culture' {
        ('{0:N3}' -f 1234.5) | Should -Match $ThreeDecimals
        if ($Culture -eq 'fr-FR') { ('{0:N3}' -f 1.5) | Should -Be '1,500' }
    }

    It 'index readings: Date, Index (L), Index (m3), Type, Subscription; litres whole, m3 three decimals' {
        $lines = Get-Lines $Readings $W
        Get-Header $lines | Should -Be 'Date Index (L) Index (m3) Type Subscription'
        $lines.Count | Should -Be ($Readings.Count + 2)
        foreach ($i in 0..($Readings.Count - 1)) {
            $cells = $lines[$i + 2] -split ' +' | Where-Object { $_ }
            $cells[0] | Should -Be $Readings[$i].Date.ToString('yyyy-MM-dd')
            $cells[1] | Should -Match $Whole
            $cells[2] | Should -Match $ThreeDecimals
            [double]::Parse($cells[2], [cultureinfo]::CurrentCulture) | Should -Be ([math]::Round($Readings[$i].IndexCubicMeters, 3))
            $cells[3] | Should -Be "$($Readings[$i].Type)"
            $cells[4] | Should -Be "$($Readings[$i].SubscriptionNumber)"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $W }
    }

    It 'daily consumption: Date, Liters, CubicMeters, Quality, Subscription' {
        $lines = Get-Lines $Days $W
        Get-Header $lines | Should -Be 'Date Liters CubicMeters Quality Subscription'
        $cells = $lines[2] -split ' +' | Where-Object { $_ }
        $cells[0] | Should -Be $Days[0].Date.ToString('yyyy-MM-dd')
        $cells[1] | Should -Match $Whole
        $cells[1] | Should -Be ('{0:N0}' -f $Days[0].Liters)
        $cells[2] | Should -Match $ThreeDecimals
        $cells[3] | Should -Be "$($Days[0].Quality)"
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $W }
    }

    It 'aggregated consumption (EglWater.EglConsumption#Period), as Get-EglConsumption -Granularity Month writes it' {
        $Periods.Count | Should -Be 4
        $Periods[0].PSObject.TypeNames[0] | Should -Be 'EglWater.EglConsumption#Period'
        $lines = Get-Lines $Periods $W
        Get-Header $lines | Should -Be 'Date EndDate Liters CubicMeters Complete'
        $lines.Count | Should -Be ($Periods.Count + 2)
        foreach ($i in 0..($Periods.Count - 1)) {
            $cells = $lines[$i + 2] -split ' +' | Where-Object { $_ }
            $cells[0] | Should -Be $Periods[$i].Date.ToString('yyyy-MM-dd')
            $cells[1] | Should -Be $Periods[$i].EndDate.ToString('yyyy-MM-dd')
            $cells[2] | Should -Be ('{0:N0}' -f $Periods[$i].Liters)
            $cells[2] | Should -Match $Whole
            $cells[3] | Should -Match $ThreeDecimals
            $cells[4] | Should -Be "$($Periods[$i].Complete)"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $W }
    }

    It '<Name>: <Header>, one line each' -ForEach @(
        @{ Name = 'leak alert'; Object = 'Alert'; Header = 'Subscription Kind StartDate Excess (L) Severity' }
        @{ Name = 'cost'; Object = 'Cost'; Header = 'Subscription Date m3 Total (EUR) Complete' }
        @{ Name = 'sync result'; Object = 'Sync'; Header = 'Subscription FirstDay LastDay Added Changed' }
    ) {
        $value = Get-Variable -Name $Object -Scope Script -ValueOnly
        $lines = Get-Lines $value $W
        Get-Header $lines | Should -Be $Header
        $lines.Count | Should -Be 3
        $lines[2] | Should -Not -Match '…'
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $W }
    }

    It 'leak alert and cost: litres whole, m3 three decimals, euros two decimals, in the current culture' {
        (Get-Lines $Alert $W)[2] | Should -Match ([regex]::Escape(('{0:N0}' -f 123456.4)))
        $cost = (Get-Lines $Cost $W)[2]
        $cost | Should -Match ([regex]::Escape(('{0:N3}' -f 1234.567)))
        $cost | Should -Match ([regex]::Escape(('{0:N2}' -f [decimal]21.68)))
    }

    It 'session: UserName, Api, Subscription, BaseUri, and no secret' {
        $lines = Get-Lines $Session $W
        Get-Header $lines | Should -Be 'UserName Api Subscription BaseUri'
        $lines[2] | Should -Match ([regex]::Escape($Session.BaseUri.ToString()))
        $lines[2] | Should -Not -Match '…|\.\.\.'
    }
}

Describe 'List views' {
    It 'consumption: every property, litres whole and m3 three decimals' {
        $text = $Days[0] | Format-List | Out-String -Width 80
        foreach ($p in $Days[0].PSObject.Properties.Name) { $text | Should -Match "(?m)^$p\s+:" }
        $text | Should -Match "(?m)^CubicMeters\s+: $([regex]::Escape(('{0:N3}' -f $Days[0].CubicMeters)))\s*$"
        $text | Should -Match "(?m)^Date\s+: $($Days[0].Date.ToString('yyyy-MM-dd'))\s*$"
    }

    It '<_> list view: every property' -ForEach 'Alert', 'Cost', 'Sync' {
        $value = Get-Variable -Name $_ -Scope Script -ValueOnly
        $text = $value | Format-List | Out-String -Width 200
        foreach ($p in $value.PSObject.Properties.Name) { $text | Should -Match "(?m)^$p\s+:" }
        $text | Should -Not -Match '\d{2}:\d{2}:\d{2}'   # calendar days, no time
    }

    It 'session: every public property, never a secret, whatever the view' {
        $all = @(
            $Session | Format-List | Out-String -Width 120
            $Session | Format-List * | Out-String -Width 120
            $Session | Format-Table * | Out-String -Width 400
            $Session | ConvertTo-Json -Depth 3 -WarningAction SilentlyContinue
        ) -join "`n"
        foreach ($p in 'UserName', 'Environment', 'BaseUri', 'SubscriptionNumber', 'Subscriptions', 'ConnectedAt') { $all | Should -Match $p }
        $all | Should -Not -Match ([regex]::Escape($DemoPassword))
        $all | Should -Not -Match ([regex]::Escape($DemoAuthKey))
    }
}

Describe 'Output types and views' {
    It '<_> declares an [OutputType] that has a table view' -ForEach @(. (Join-Path $PSScriptRoot '../../tools/Read-Manifest.ps1'); Read-EglManifest (Join-Path $PSScriptRoot '../../EglWater.psd1')).CmdletsToExport {
        $declared = @((Get-Command $_).OutputType.Name)
        $declared | Should -Not -BeNullOrEmpty
        # The module's own types (System.IO.FileInfo, written by -PassThru, keeps PowerShell's view).
        foreach ($t in $declared | Where-Object { $_ -like 'EglWater.*' }) {
            $views = @((Get-FormatData -TypeName $t -PowerShellVersion $PSVersionTable.PSVersion).FormatViewDefinition)
            $views | ForEach-Object { $_.Control.GetType().Name } | Should -Contain 'TableControl'
            $columns = @(($views | Where-Object { $_.Control -is [System.Management.Automation.TableControl] })[0].Control.Headers)
            $columns.Count | Should -BeIn 4, 5
        }
    }

    It 'the written objects carry the type names of the views' {
        $Readings[0].PSObject.TypeNames[0] | Should -Be 'EglWater.EglIndexReading'
        $Days[0].PSObject.TypeNames[0] | Should -Be 'EglWater.EglConsumption'
        $Session.PSObject.TypeNames[0] | Should -Be 'EglWater.EglSession'
    }
}
