#requires -Version 7.2
<#
.SYNOPSIS
Generates the module's MAML help (en-US/EglWater.dll-Help.xml) from docs/help/*.md.

.DESCRIPTION
The single source of truth of the cmdlets' help is docs/help: one <Cmdlet>.md per cmdlet, plus
_Parameters.md for the parameters several cmdlets share (a cmdlet's own "### -Name" section wins).
What the code already knows is read from the built module, never written twice: each parameter's type,
whether it is mandatory, its position, pipeline input, aliases, accepted values (enums, ValidateSet),
the parameter sets (syntax) and the [OutputType] of each cmdlet.

Markdown layout of <Cmdlet>.md (headings are fixed, everything else is free text):

    # Get-EglIndex
    ## SYNOPSIS              one paragraph
    ## DESCRIPTION           paragraphs; lines starting with "- " are list items
    ## EXAMPLES
    ### Example 1: title     then a ```powershell fence (the code), then remarks
    ## PARAMETERS
    ### -StartDate           an optional first line "Default: <text>", then the description
    ## INPUTS / ## OUTPUTS
    ### <type name>          then its description
    ## NOTES
    ## RELATED LINKS         "- Name" or "- [Text](uri)" items

Adding a parameter to a cmdlet = adding a "### -Name" section (in the cmdlet's file, or in _Parameters.md
if several cmdlets share it). The generator warns about a parameter without help (and the Pester help
test fails on it) and about a help section for a parameter the cmdlet does not have (harmless: it may
document a parameter that another branch adds).

Runs in its own pwsh process (build.ps1 starts it) because it imports the built module.
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory)] [string] $ModulePath,
    [Parameter(Mandatory)] [string] $SourcePath,
    [Parameter(Mandatory)] [string] $OutputPath
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'

$CommonParameters = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters

function Read-HelpMarkdown {
    <# Parses one help file into sections: @{ Title; Sections = @{ NAME = @{ Text = lines; Items = ordered @{ title = lines } } } } #>
    param([Parameter(Mandatory)] [string] $Path)
    $doc = @{ Title = $null; Sections = @{} }
    $section = $null
    $item = $null
    $inFence = $false
    foreach ($line in Get-Content -LiteralPath $Path -Encoding utf8) {
        if (-not $inFence) {
            if ($line -match '^# (?<t>.+)$') { $doc.Title = $Matches.t.Trim(); continue }
            if ($line -match '^## (?<t>.+)$') {
                $section = @{ Text = [System.Collections.Generic.List[string]]::new(); Items = [ordered]@{} }
                $doc.Sections[$Matches.t.Trim().ToUpperInvariant()] = $section
                $item = $null
                continue
            }
            if ($line -match '^### (?<t>.+)$' -and $null -ne $section) {
                $item = [System.Collections.Generic.List[string]]::new()
                $section.Items[$Matches.t.Trim()] = $item
                continue
            }
        }
        if ($line -match '^```') { $inFence = -not $inFence }
        if ($null -ne $item) { $item.Add($line) } elseif ($null -ne $section) { $section.Text.Add($line) }
    }
    $doc
}

function ConvertTo-Paragraph {
    <# Lines to paragraphs: blank lines separate paragraphs, "- " items are paragraphs of their own. #>
    param([string[]] $Lines)
    $paragraphs = [System.Collections.Generic.List[string]]::new()
    $current = [System.Collections.Generic.List[string]]::new()
    $flush = { if ($current.Count) { $paragraphs.Add(($current -join ' ').Trim()); $current.Clear() } }
    foreach ($line in $Lines) {
        if ($line.Trim() -eq '') { & $flush; continue }
        if ($line -match '^\s*- ') { & $flush }
        $current.Add($line.Trim())
    }
    & $flush
    , $paragraphs.ToArray()
}

function Split-Example {
    <# An example's lines: the first fenced block is the code, the rest the remarks. #>
    param([string[]] $Lines)
    $code = [System.Collections.Generic.List[string]]::new()
    $remarks = [System.Collections.Generic.List[string]]::new()
    $state = 'before'
    foreach ($line in $Lines) {
        switch ($state) {
            'before' { if ($line -match '^```') { $state = 'code' } elseif ($line.Trim()) { $remarks.Add($line) } }
            'code' { if ($line -match '^```') { $state = 'after' } else { $code.Add($line) } }
            'after' { $remarks.Add($line) }
        }
    }
    @{ Code = ($code -join "`n").TrimEnd(); Remarks = ConvertTo-Paragraph $remarks }
}

function Get-TypeDisplayName {
    param([type] $Type)
    $underlying = [Nullable]::GetUnderlyingType($Type)
    if ($underlying) { $Type = $underlying }
    if ($Type.IsArray) { return (Get-TypeDisplayName $Type.GetElementType()) + '[]' }
    $Type.FullName
}

function Get-ParameterFacts {
    <# What the cmdlet's metadata says about one parameter. #>
    param($Command, $Parameter)
    $sets = $Parameter.ParameterSets.Values
    $byValue = [bool]($sets | Where-Object ValueFromPipeline)
    $byName = [bool]($sets | Where-Object ValueFromPipelineByPropertyName)
    $pipeline = if ($byValue -and $byName) { 'True (ByValue, ByPropertyName)' } elseif ($byValue) { 'True (ByValue)' } elseif ($byName) { 'True (ByPropertyName)' } else { 'False' }
    $positions = @($sets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position | Sort-Object -Unique)
    $accepted = @()
    $validateSet = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] } | Select-Object -First 1
    $type = $Parameter.ParameterType
    $element = if ($type.IsArray) { $type.GetElementType() } elseif ([Nullable]::GetUnderlyingType($type)) { [Nullable]::GetUnderlyingType($type) } else { $type }
    if ($validateSet) { $accepted = @($validateSet.ValidValues) } elseif ($element.IsEnum) { $accepted = [Enum]::GetNames($element) }
    $range = $Parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ValidateRangeAttribute] } | Select-Object -First 1
    [pscustomobject]@{
        Name        = $Parameter.Name
        TypeName    = Get-TypeDisplayName $type
        ShortType   = ((Get-TypeDisplayName $type) -replace '^.*\.', '')
        IsSwitch    = $type -eq [System.Management.Automation.SwitchParameter]
        Required    = [bool]($sets | Where-Object IsMandatory)
        Position    = if ($positions.Count) { [string]$positions[0] } else { 'named' }
        Pipeline    = $pipeline
        Aliases     = if ($Parameter.Aliases.Count) { $Parameter.Aliases -join ', ' } else { 'none' }
        Accepted    = $accepted
        Range       = if ($range) { '{0} to {1}' -f $range.MinRange, $range.MaxRange } else { $null }
    }
}

$module = Import-Module $ModulePath -PassThru -Force
$commands = @(Get-Command -Module $module.Name -CommandType Cmdlet | Sort-Object Name)
if (-not $commands) { throw "No cmdlet found in '$ModulePath'." }

$shared = @{}
$sharedFile = Join-Path $SourcePath '_Parameters.md'
if (Test-Path $sharedFile) {
    $sharedDoc = Read-HelpMarkdown $sharedFile
    if ($sharedDoc.Sections['PARAMETERS']) { foreach ($k in $sharedDoc.Sections['PARAMETERS'].Items.Keys) { $shared[$k] = $sharedDoc.Sections['PARAMETERS'].Items[$k] } }
}

$ns = @{
    maml    = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev     = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$settings = [System.Xml.XmlWriterSettings]::new()
$settings.Indent = $true
$settings.Encoding = [System.Text.UTF8Encoding]::new($false)
$null = New-Item -ItemType Directory -Path (Split-Path $OutputPath) -Force
$w = [System.Xml.XmlWriter]::Create($OutputPath, $settings)

function Write-Paras {
    param([string[]] $Paragraphs)
    if (-not $Paragraphs) { $w.WriteElementString('para', $ns.maml, ''); return }
    foreach ($p in $Paragraphs) { $w.WriteElementString('para', $ns.maml, $p) }
}

function Write-Description {
    param([string[]] $Paragraphs)
    $w.WriteStartElement('description', $ns.maml); Write-Paras $Paragraphs; $w.WriteEndElement()
}

function Write-Parameter {
    param($Facts, [string[]] $Paragraphs, [string] $Default, [switch] $InSyntax)
    $w.WriteStartElement('parameter', $ns.command)
    $w.WriteAttributeString('required', $Facts.Required.ToString().ToLowerInvariant())
    $w.WriteAttributeString('variableLength', 'true')
    $w.WriteAttributeString('globbing', 'false')
    $w.WriteAttributeString('pipelineInput', $Facts.Pipeline)
    $w.WriteAttributeString('position', $Facts.Position)
    $w.WriteAttributeString('aliases', $Facts.Aliases)
    $w.WriteElementString('name', $ns.maml, $Facts.Name)
    Write-Description $Paragraphs
    if ($Facts.Accepted.Count) {
        $w.WriteStartElement('parameterValueGroup', $ns.command)
        foreach ($v in $Facts.Accepted) {
            $w.WriteStartElement('parameterValue', $ns.command); $w.WriteAttributeString('required', 'false'); $w.WriteAttributeString('variableLength', 'false'); $w.WriteString($v); $w.WriteEndElement()
        }
        $w.WriteEndElement()
    }
    if (-not ($InSyntax -and $Facts.IsSwitch)) {
        $w.WriteStartElement('parameterValue', $ns.command)
        $w.WriteAttributeString('required', (-not $Facts.IsSwitch).ToString().ToLowerInvariant())
        $w.WriteAttributeString('variableLength', 'false')
        $w.WriteString($Facts.ShortType)
        $w.WriteEndElement()
    }
    $w.WriteStartElement('type', $ns.dev); $w.WriteElementString('name', $ns.maml, $Facts.TypeName); $w.WriteElementString('uri', $ns.maml, ''); $w.WriteEndElement()
    $w.WriteElementString('defaultValue', $ns.dev, $Default)
    $w.WriteEndElement()
}

function Write-TypeList {
    param([string] $Outer, [string] $Inner, $Items)
    $w.WriteStartElement($Outer, $ns.command)
    foreach ($entry in $Items) {
        $w.WriteStartElement($Inner, $ns.command)
        $w.WriteStartElement('type', $ns.dev); $w.WriteElementString('name', $ns.maml, $entry.Name); $w.WriteElementString('uri', $ns.maml, ''); $w.WriteEndElement()
        Write-Description $entry.Paragraphs
        $w.WriteEndElement()
    }
    $w.WriteEndElement()
}

$warnings = 0
$w.WriteStartDocument()
$w.WriteStartElement('helpItems', 'http://msh')
$w.WriteAttributeString('schema', 'maml')
foreach ($command in $commands) {
    $file = Join-Path $SourcePath "$($command.Name).md"
    if (-not (Test-Path $file)) { Write-Warning "$($command.Name): no help source ($file)."; $warnings++; continue }
    $doc = Read-HelpMarkdown $file
    $section = { param($name) $doc.Sections[$name] }
    $own = if (& $section 'PARAMETERS') { (& $section 'PARAMETERS').Items } else { @{} }
    $parameters = @($command.Parameters.Values | Where-Object { $_.Name -notin $CommonParameters })

    foreach ($documented in $own.Keys) {
        if ($documented.TrimStart('-') -notin $parameters.Name) { Write-Warning "$($command.Name): help for -$($documented.TrimStart('-')), which the cmdlet does not have (yet?)." }
    }

    # Each parameter: its facts from the metadata, its text from the cmdlet's file or the shared one.
    $paramHelp = @{}
    foreach ($p in $parameters) {
        $lines = if ($own.Contains("-$($p.Name)")) { $own["-$($p.Name)"] } elseif ($shared.ContainsKey("-$($p.Name)")) { $shared["-$($p.Name)"] } else { $null }
        $facts = Get-ParameterFacts $command $p
        $default = if ($facts.IsSwitch) { 'False' } else { 'None' }
        $body = @()
        if ($lines) {
            $body = @($lines)
            $first = $body | Where-Object { $_.Trim() } | Select-Object -First 1
            if ($first -match '^Default:\s*(?<d>.+)$') { $default = $Matches.d.Trim(); $body = @($body | Where-Object { $_ -ne $first }) }
        } else {
            Write-Warning "$($command.Name): no help text for -$($p.Name). Add a '### -$($p.Name)' section to $file or _Parameters.md."
            $warnings++
        }
        $paras = @(ConvertTo-Paragraph $body)
        if ($paras.Count -and $facts.Accepted.Count) { $paras += 'Accepted values: ' + ($facts.Accepted -join ', ') + '.' }
        if ($paras.Count -and $facts.Range) { $paras += "Valid range: $($facts.Range)." }
        $paramHelp[$p.Name] = @{ Facts = $facts; Paragraphs = $paras; Default = $default }
    }

    $w.WriteStartElement('command', 'command', $ns.command)
    $w.WriteAttributeString('xmlns', 'maml', $null, $ns.maml)
    $w.WriteAttributeString('xmlns', 'dev', $null, $ns.dev)

    $w.WriteStartElement('details', $ns.command)
    $w.WriteElementString('name', $ns.command, $command.Name)
    $w.WriteElementString('verb', $ns.command, $command.Verb)
    $w.WriteElementString('noun', $ns.command, $command.Noun)
    Write-Description (ConvertTo-Paragraph (& $section 'SYNOPSIS').Text)
    $w.WriteEndElement()

    Write-Description (ConvertTo-Paragraph (& $section 'DESCRIPTION').Text)

    # Syntax: one item per parameter set, the default set first; positional, then mandatory, then the others.
    $w.WriteStartElement('syntax', $ns.command)
    $setsInOrder = @($command.ParameterSets | Sort-Object { -not $_.IsDefault }, Name)
    foreach ($set in $setsInOrder) {
        $w.WriteStartElement('syntaxItem', $ns.command)
        $w.WriteElementString('name', $ns.maml, $command.Name)
        $setParams = @($set.Parameters | Where-Object { $_.Name -notin $CommonParameters } |
                Sort-Object @{ Expression = { if ($_.Position -ge 0) { $_.Position } else { [int]::MaxValue } } }, @{ Expression = { -not $_.IsMandatory } })
        foreach ($sp in $setParams) {
            $h = $paramHelp[$sp.Name]
            $facts = $h.Facts.PSObject.Copy()
            $facts.Required = $sp.IsMandatory
            $facts.Position = if ($sp.Position -ge 0) { [string]$sp.Position } else { 'named' }
            Write-Parameter $facts $h.Paragraphs $h.Default -InSyntax
        }
        $w.WriteEndElement()
    }
    $w.WriteEndElement()

    $w.WriteStartElement('parameters', $ns.command)
    foreach ($p in $parameters | Sort-Object Name) { $h = $paramHelp[$p.Name]; Write-Parameter $h.Facts $h.Paragraphs $h.Default }
    $w.WriteEndElement()

    $typeItems = {
        param($name)
        $s = & $section $name
        if (-not $s -or -not $s.Items.Count) { return , @() }
        , @(foreach ($k in $s.Items.Keys) { @{ Name = $k; Paragraphs = ConvertTo-Paragraph $s.Items[$k] } })
    }
    $inputs = & $typeItems 'INPUTS'
    if (-not $inputs.Count) { $inputs = @(@{ Name = 'None'; Paragraphs = @('This cmdlet takes no pipeline input.') }) }
    Write-TypeList 'inputTypes' 'inputType' $inputs

    $outputs = & $typeItems 'OUTPUTS'
    foreach ($declared in $command.OutputType.Name) {
        if ($declared -ne 'System.Void' -and $declared -notin $outputs.Name) { Write-Warning "$($command.Name): [OutputType] $declared is not described under ## OUTPUTS."; $warnings++ }
    }
    if (-not $outputs.Count) { $outputs = @(@{ Name = 'None'; Paragraphs = @('This cmdlet writes no object.') }) }
    Write-TypeList 'returnValues' 'returnValue' $outputs

    if ($notes = & $section 'NOTES') {
        $w.WriteStartElement('alertSet', $ns.maml); $w.WriteStartElement('alert', $ns.maml); Write-Paras (ConvertTo-Paragraph $notes.Text); $w.WriteEndElement(); $w.WriteEndElement()
    }

    $w.WriteStartElement('examples', $ns.command)
    $examples = & $section 'EXAMPLES'
    $n = 0
    if ($examples) {
        foreach ($title in $examples.Items.Keys) {
            $n++
            $ex = Split-Example $examples.Items[$title]
            $w.WriteStartElement('example', $ns.command)
            $w.WriteElementString('title', $ns.maml, "--------- $title ---------")
            $w.WriteElementString('code', $ns.dev, $ex.Code)
            $w.WriteStartElement('remarks', $ns.dev); Write-Paras $ex.Remarks; $w.WriteEndElement()
            $w.WriteEndElement()
        }
    }
    if ($n -lt 2) { Write-Warning "$($command.Name): $n example(s); write at least two."; $warnings++ }
    $w.WriteEndElement()

    $w.WriteStartElement('relatedLinks', $ns.command)
    if ($links = & $section 'RELATED LINKS') {
        foreach ($line in $links.Text | Where-Object { $_ -match '^\s*- ' }) {
            $text = ($line -replace '^\s*- ', '').Trim()
            $uri = ''
            if ($text -match '^\[(?<t>[^\]]+)\]\((?<u>[^)]*)\)$') { $text = $Matches.t; $uri = $Matches.u }
            $w.WriteStartElement('navigationLink', $ns.maml); $w.WriteElementString('linkText', $ns.maml, $text); $w.WriteElementString('uri', $ns.maml, $uri); $w.WriteEndElement()
        }
    }
    $w.WriteEndElement()

    $w.WriteEndElement() # command
}
$w.WriteEndElement()
$w.WriteEndDocument()
$w.Dispose()
Write-Host ("Help: {0} cmdlet(s) written to {1}{2}" -f $commands.Count, $OutputPath, $(if ($warnings) { " with $warnings warning(s) (the Pester help test fails on them)" } else { '' }))
