# Help: every cmdlet and every parameter it really has (enumerated from Get-Command, so a parameter added
# without help fails here) has text and examples through Get-Help; about_EglWater covers every error id.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot '../../tools/Read-Manifest.ps1')
    $manifest = Read-EglManifest (Join-Path $PSScriptRoot '../../EglWater.psd1')
    $script:CmdletNames = $manifest.CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    . (Join-Path $PSScriptRoot 'FreshProcess.ps1')
    $script:Common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
    function Get-Text { param($Node) (@($Node) | ForEach-Object { if ($_ -is [string]) { $_ } else { $_.Text } }) -join "`n" }
}

Describe 'Help of <_>' -ForEach $CmdletNames {
    BeforeAll {
        $script:Name = $_
        $script:Command = Get-Command $Name -Module EglWater
        $script:Help = Get-Help $Name -Full
    }

    It 'comes from the MAML file shipped in en-US' {
        Split-Path -Leaf $Command.HelpFile | Should -Be 'EglWater.dll-Help.xml'
        Join-Path (Split-Path $ModulePath) 'en-US/EglWater.dll-Help.xml' | Should -Exist
    }

    It 'has a synopsis and a description of its own' {
        $Help.Synopsis | Should -Not -BeNullOrEmpty
        $Help.Synopsis | Should -Not -Match ([regex]::Escape("$Name ["))   # the auto-generated synopsis is the syntax
        (Get-Text $Help.description).Length | Should -BeGreaterThan 100
    }

    It 'has at least two examples with code and remarks, one of them unattended (Get-AutomationPSCredential or Get-Secret)' {
        $examples = @($Help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($e in $examples) {
            $e.code | Should -Match $Name.Split('-')[0]
            $e.title | Should -Not -BeNullOrEmpty
        }
        ($examples.code -join "`n") | Should -Match 'Get-AutomationPSCredential|Get-Secret'
    }

    It 'describes every parameter the cmdlet has, with its real type' {
        $parameters = @($Command.Parameters.Values | Where-Object Name -NotIn $Common)
        $missing = foreach ($p in $parameters) {
            $ph = Get-Help $Name -Parameter $p.Name -ErrorAction SilentlyContinue
            $text = if ($ph) { Get-Text $ph.description } else { '' }
            if ($text.Trim().Length -lt 20) { "-$($p.Name)" }
            elseif (-not "$($ph.type.name)".EndsWith(([Nullable]::GetUnderlyingType($p.ParameterType) ?? $p.ParameterType).Name)) { "-$($p.Name) (type '$($ph.type.name)' in help)" }
        }
        $missing | Should -BeNullOrEmpty -Because 'every parameter needs help text in docs/help (the cmdlet''s file or _Parameters.md)'
    }

    It 'states each parameter''s default value and pipeline input' {
        foreach ($p in $Command.Parameters.Values | Where-Object Name -NotIn $Common) {
            $ph = Get-Help $Name -Parameter $p.Name
            $ph.defaultValue | Should -Not -BeNullOrEmpty
            $byName = [bool]($p.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName)
            if ($byName) { $ph.pipelineInput | Should -Match 'ByPropertyName' } else { $ph.pipelineInput | Should -Not -Match 'ByPropertyName' }
        }
    }

    It 'lists its [OutputType] under outputs, and related links' {
        $outputs = @($Help.returnValues.returnValue.type.name)
        foreach ($t in $Command.OutputType.Name | Where-Object { $_ -ne 'System.Void' }) { $outputs | Should -Contain $t }
        @($Help.relatedLinks.navigationLink).Count | Should -BeGreaterOrEqual 2
        $Help.relatedLinks.navigationLink.linkText | Should -Contain 'about_EglWater'
    }
}

Describe 'about_EglWater' {
    BeforeAll { $script:About = (Get-Help about_EglWater | Out-String) }

    It 'has the quick start, sessions, dates and time zones, units and data quality sections' {
        foreach ($s in 'QUICK START', 'SESSIONS', 'DATES AND TIME ZONES', 'UNITS', 'DATA QUALITY', 'ERRORS') { $About | Should -Match "(?m)^$s" }
        foreach ($q in [Enum]::GetNames([EglWater.EglQuality]) + [Enum]::GetNames([EglWater.EglReadingType])) { $About | Should -Match "\b$q\b" }
    }

    It 'says what to do about every error id, including those of the client''s exceptions' {
        $ids = [System.Collections.Generic.List[string]]@(
            'EglNotConnected', 'EglAuthenticationFailed', 'EglApiError', 'EglInvalidResponse', 'EglConnectionFailed', 'EglTimeout',
            'EglInvalidDateRange', 'EglInvalidBaseUri', 'EglUnencryptedAuthentication', 'EglUnknownSubscription', 'EglNotSupported', 'EglBlocked')
        # Every concrete EglException, so that a new one without documentation fails here.
        $base = [EglWater.EglIndexReading].Assembly.GetType('EglWater.EglException', $true)
        foreach ($t in $base.Assembly.GetTypes() | Where-Object { $_.IsSubclassOf($base) -and -not $_.IsAbstract }) {
            $ids.Add([System.Runtime.CompilerServices.RuntimeHelpers]::GetUninitializedObject($t).ErrorId)
        }
        foreach ($id in $ids | Sort-Object -Unique) { $About | Should -Match "(?m)^\s+$id\s*$" -Because "about_EglWater must explain $id" }
    }
}

Describe 'Get-Help in a fresh pwsh' {
    It 'Get-Help Get-EglConsumption -Examples prints runnable examples' {
        $run = Invoke-FreshPwsh -Script 'param($ModulePath) $PSStyle.OutputRendering = "PlainText"; Import-Module $ModulePath; Get-Help Get-EglConsumption -Examples | Out-String -Width 120' -Arguments @{ ModulePath = $ModulePath }
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match 'Example 1'
        $run.Output | Should -Match 'Get-EglConsumption -StartDate 2025-01-01 -EndDate 2025-12-31 -Granularity Month'
        $run.Output | Should -Match 'Get-Secret -Name EGL'
        $run.Output | Should -Not -Match 'Get-EglConsumption \[\['   # not the auto-generated syntax-only help
    }
}
