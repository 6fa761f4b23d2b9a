//! Stdlib names that exist on another platform or implementation than the
//! interpreter being indexed. The interpreter's own namespace is the truth
//! for *this* machine, but cross-platform code names these under runtime
//! checks (`if WIN:`), so they are never reported. Modules listed in
//! `sys.stdlib_module_names` (msvcrt, winreg, …) are handled the same way.

const OTHER_PLATFORM_MEMBERS: &[(&str, &[&str])] = &[
    // Builtins too: a bare `WindowsError` is no undefined name elsewhere.
    ("builtins", &["WindowsError"]),
    (
        "os",
        &[
            "startfile",
            "add_dll_directory",
            "O_BINARY",
            "O_NOINHERIT",
            "O_SHORT_LIVED",
            "O_TEMPORARY",
            "O_RANDOM",
            "O_SEQUENTIAL",
            "O_TEXT",
            "P_DETACH",
            "P_OVERLAY",
            "get_handle_inheritable",
            "set_handle_inheritable",
            "getlogin",
            "plock",
            "chflags",
            "lchflags",
            "lchmod",
            "getwindowsversion",
        ],
    ),
    (
        "sys",
        &[
            "getwindowsversion",
            "winver",
            "dllhandle",
            "pypy_version_info",
            "_enablelegacywindowsfsencoding",
            "setdlopenflags",
            "getdlopenflags",
            "_emscripten_info",
            "_base_executable",
        ],
    ),
    (
        "ctypes",
        &[
            "windll",
            "oledll",
            "WinDLL",
            "OleDLL",
            "WINFUNCTYPE",
            "HRESULT",
            "FormatError",
            "GetLastError",
            "get_last_error",
            "set_last_error",
            "WinError",
            "DllCanUnloadNow",
            "DllGetClassObject",
        ],
    ),
    ("signal", &["CTRL_C_EVENT", "CTRL_BREAK_EVENT", "SIGBREAK"]),
    (
        "subprocess",
        &[
            "STARTUPINFO",
            "STARTF_USESHOWWINDOW",
            "STARTF_USESTDHANDLES",
            "SW_HIDE",
            "CREATE_NEW_CONSOLE",
            "CREATE_NEW_PROCESS_GROUP",
            "CREATE_NO_WINDOW",
            "DETACHED_PROCESS",
            "STD_INPUT_HANDLE",
            "STD_OUTPUT_HANDLE",
            "STD_ERROR_HANDLE",
            "ABOVE_NORMAL_PRIORITY_CLASS",
            "BELOW_NORMAL_PRIORITY_CLASS",
            "HIGH_PRIORITY_CLASS",
            "IDLE_PRIORITY_CLASS",
            "NORMAL_PRIORITY_CLASS",
            "REALTIME_PRIORITY_CLASS",
        ],
    ),
    (
        "asyncio",
        &[
            "ProactorEventLoop",
            "WindowsSelectorEventLoopPolicy",
            "WindowsProactorEventLoopPolicy",
            "IocpProactor",
        ],
    ),
    ("time", &["tzset"]),
    (
        "socket",
        &[
            "AF_UNIX",
            "SO_EXCLUSIVEADDRUSE",
            "SIO_KEEPALIVE_VALS",
            "fromshare",
        ],
    ),
    ("select", &["epoll", "kqueue", "kevent", "devpoll", "poll"]),
    ("shutil", &["_WIN32_CLIPBOARD"]),
    ("mimetypes", &["_winreg"]),
];

/// Whether `module.name` exists in the stdlib on some other platform.
pub fn other_platform_member(module: &str, name: &str) -> bool {
    OTHER_PLATFORM_MEMBERS
        .iter()
        .any(|(m, names)| *m == module && names.contains(&name))
}
