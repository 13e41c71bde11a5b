# Tab completion through TabExpansion2: enum and ValidateSet parameters complete by themselves (checked for
# every such parameter of every cmdlet, -Granularity included once it exists); -SubscriptionNumber
# completes from the session.
BeforeDiscovery {
    Import-Module $env:EGLWATER_MODULE
    $script:Choices = foreach ($c in Get-Command -Module EglWater -CommandType Cmdlet) {
        foreach ($p in $c.Parameters.Values) {
            $set = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
            $type = [Nullable]::GetUnderlyingType($p.ParameterType) ?? $p.ParameterType
            $values = if ($set) { @($set.ValidValues) } elseif ($type.IsEnum) { [Enum]::GetNames($type) } else { $null }
            if ($values -and $p.Name -notin [System.Management.Automation.PSCmdlet]::CommonParameters) { @{ Command = $c.Name; Parameter = $p.Name; Values = $values } }
        }
    }
    $script:WithSubscription = @(Get-Command -Module EglWater | Where-Object { $_.Parameters.ContainsKey('SubscriptionNumber') } | ForEach-Object Name)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Common.ps1')
    $script:Sim = Start-EglSimulator -Path $SimulatorPath -ArgumentList '--today', '2026-03-15'
    function Complete { param([string] $Line) @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches) }
}

AfterAll {
    Disconnect-Egl
    Stop-EglSimulator $Sim
}

Describe 'Enumerated parameters' {
    It 'finds the enum parameters to check (-Environment at least)' {
        $Choices.Parameter | Should -Contain 'Environment'
    }

    It '<Command> -<Parameter> completes <Values>' -ForEach $Choices {
        # PowerShell lists enum values in alphabetical order, not in declaration order.
        (Complete "$Command -$Parameter ").CompletionText | Should -Be ($Values | Sort-Object)
    }

    It 'completes a prefix: Connect-Egl -Environment Re' {
        (Complete 'Connect-Egl -Environment Re').CompletionText | Should -Be @('Recette')
    }
}

Describe '-SubscriptionNumber' {
    It 'completes nothing (and does not fail) without a session' {
        Disconnect-Egl
        Complete 'Get-EglIndex -SubscriptionNumber ' | Should -BeNullOrEmpty
    }

    It '<_> -SubscriptionNumber completes the subscriptions of the current session' -ForEach $WithSubscription {
        Connect-Egl -Credential $DemoCredential -AuthKey $DemoAuthKey -BaseUri $Sim.BaseUri
        $found = Complete "$_ -SubscriptionNumber "
        $found.CompletionText | Should -Be @([string]$DemoSubscription)
        $found[0].ToolTip | Should -Match $DemoLogin
        Complete "$_ -SubscriptionNumber 18" | Should -HaveCount 1
        Complete "$_ -SubscriptionNumber 9" | Should -BeNullOrEmpty
    }
}
