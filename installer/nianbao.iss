; Windows installer, compiled with Inno Setup 6.3 or later after PyInstaller has built dist\nianbao:
;     iscc /DAppVersion=0.1.0 installer\nianbao.iss      (build_windows.ps1 passes the version from pyproject.toml)
; It installs for the current user without administrator rights (those who have them may choose all users in a
; dialog), associates .nbdraft drafts with the program, and uninstalls cleanly.  Drafts, autosaves and settings
; live in the user's own folders (documents, %APPDATA%\nianbao), never under {app}, so uninstalling leaves them.
; This file is UTF-8 with a byte-order mark: without it Inno Setup would read the Chinese text as ANSI.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=x.y.z
#endif
#define AppName "政务公开年报助手"
#define AppExe "nianbao-gui.exe"
#define ProgId "nianbao.draft"

[Setup]
AppId={{20624008-003B-4998-8003-9306A9525DF5}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
; {autopf} is the user's own Programs folder under lowest privileges, Program Files when installed for all users
; (see InstallRoot below).
DefaultDirName={code:InstallRoot}\{#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ChangesAssociations=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=nianbao-{#AppVersion}-windows-x64-setup
SetupIconFile=..\resources\icons\nianbao.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
CloseApplications=yes

; A Chinese wizard: Inno Setup 6.5 and later ship ChineseSimplified.isl; for older versions put the unofficial
; translation (Files/Languages/Unofficial/ChineseSimplified.isl in the Inno Setup sources) next to this script.
; Failing both, the wizard's own buttons stay English and only the messages below are Chinese.
[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "ChineseSimplified.isl"
#else
Name: "chinesesimplified"; MessagesFile: "compiler:Default.isl"
#endif

[CustomMessages]
AdditionalIcons=附加快捷方式：
CreateDesktopIcon=创建桌面快捷方式(&D)
LaunchProgram=运行 %1
DraftFileType=政务公开年报草稿

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "..\dist\nianbao\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "..\resources\icons\draft.ico"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

; HKA is HKCU for a per-user install and HKLM for all users.  The uninstaller removes exactly these keys.
[Registry]
Root: HKA; Subkey: "Software\Classes\.nbdraft"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\.nbdraft\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue uninsdeletekeyifempty
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "{cm:DraftFileType}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\draft.ico,0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}"; ValueType: string; ValueName: "FriendlyAppName"; ValueData: "{#AppName}"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".nbdraft"; ValueData: ""

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[Code]
// {autopf}, or where a system cannot name the per-user Programs folder (Wine 8.0 lacks that known folder, which
// Windows has had since 7) the same folder by its usual place, rather than setup stopping with an internal error.
function InstallRoot(Param: String): String;
begin
  try
    Result := ExpandConstant('{autopf}');
  except
    Result := ExpandConstant('{localappdata}\Programs');
  end;
end;
