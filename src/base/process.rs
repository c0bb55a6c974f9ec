//! Whether the process that left a scratch file is still running.

/// Whether a process with this id is running, this one included (then its scratch files
/// are its own).
pub fn is_running(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        match rustix::process::Pid::from_raw(pid as i32) {
            Some(p) => rustix::process::test_kill_process(p).is_ok(),
            None => false,
        }
    }
    #[cfg(not(unix))]
    {
        false
    }
}
