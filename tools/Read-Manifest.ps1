# Reads the static values of EglWater.psd1 (every key but RootModule, which picks its file by edition with an `if`
# that Import-PowerShellDataFile refuses as a dynamic expression; Import-Module and Test-ModuleManifest take it).
# Dot-source it, then: Read-EglManifest -Path <psd1>  -> a hashtable of the literal values.
function Read-EglManifest {
    param([Parameter(Mandatory)] [string] $Path)
    $tokens = $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile((Resolve-Path $Path).Path, [ref]$tokens, [ref]$errors)
    if ($errors) { throw "The manifest '$Path' does not parse: $($errors[0].Message)" }
    $table = $ast.Find({ param($a) $a -is [System.Management.Automation.Language.HashtableAst] }, $false)
    $result = @{}
    foreach ($pair in $table.KeyValuePairs) {
        $key = $pair.Item1.Value
        $value = $pair.Item2
        if ($value -is [System.Management.Automation.Language.PipelineAst]) { $value = $value.PipelineElements[0] }
        if ($value -is [System.Management.Automation.Language.CommandExpressionAst]) { $value = $value.Expression }
        # A literal (string, number, array of literals, nested hashtable) turns into its value; the rest is skipped.
        try { $result[$key] = $value.SafeGetValue() } catch { Write-Verbose "Not a static value: $key" }
    }
    $result
}
