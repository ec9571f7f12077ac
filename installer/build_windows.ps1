# Build the Windows installer from a clean clone. Needs Python 3.11+ (python on PATH, the py launcher, or the
# PYTHON environment variable) and Inno Setup 6.3+ (iscc):
#
#     powershell -ExecutionPolicy Bypass -File installer\build_windows.ps1
#
# writes dist\nianbao\ (the one-folder build) and dist\nianbao-<version>-windows-x64-setup.exe.
# Saved as UTF-8 with a byte-order mark, which Windows PowerShell 5.1 needs to read the Chinese messages.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

function Run {
    # Native programs do not stop the script on failure by themselves.
    $exe = $args[0]
    $rest = @($args | Select-Object -Skip 1)
    & $exe @rest
    if ($LASTEXITCODE -ne 0) { throw "$exe $rest 失败（退出码 $LASTEXITCODE）" }
}

$python = @(if ($env:PYTHON) { $env:PYTHON }
             elseif (Get-Command py -ErrorAction SilentlyContinue) { "py"; "-3" }
             else { "python" })
Run @python -c "import sys; sys.exit(sys.version_info < (3, 11))"
$venv = "build\venv"
$py = "$venv\Scripts\python.exe"
if (-not (Test-Path $py)) { Run @python -m venv $venv }
Run $py -m pip install --disable-pip-version-check -q --upgrade pip
# A regular (not editable) install: PyInstaller copies its metadata, which carries the version.
Run $py -m pip install --disable-pip-version-check -q ".[build]"
Run $py -m PyInstaller --noconfirm --clean --log-level WARN `
    --workpath build\pyinstaller --distpath dist installer\nianbao.spec

$version = (& $py -c "from core.version import __version__; print(__version__)").Trim()
$iscc = (Get-Command iscc -ErrorAction SilentlyContinue).Source
if (-not $iscc) {
    $iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
              "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
}
if (-not $iscc) { throw "找不到 Inno Setup 6 的 ISCC.exe，请先安装 Inno Setup 6.3 或更高版本" }
Run $iscc /Q "/DAppVersion=$version" installer\nianbao.iss
Write-Host "已生成 dist\nianbao-$version-windows-x64-setup.exe"
