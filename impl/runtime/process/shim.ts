// The container shim, as containerd's: a small busybox shell that is the parent of the
// container's process, waits for it and writes its exit status to a file. Because the shim,
// not the runtime, waits, a container keeps running and its exit is still recorded when the
// kubelet (and the runtime object inside it) restarts; a new runtime adopts it from files.
//
// The container's process is created stopped: `setsid sh -c 'kill -STOP $$; exec "$@"'`
// gives it its own session and process group (so a stop signals its children too), stops
// before running anything, and keeps its pid through `exec` — so the pid, and therefore
// the containerID process://<pid>, exists from create, and start is a SIGCONT.

/** Arguments: $1 the container's directory, then the container's argv. */
export const SHIM_SCRIPT = [
  'dir=$1; shift',
  // `wait` returns 128+N for a process killed by signal N, as a container's exit code.
  'setsid sh -c \'kill -STOP $$; exec "$@"\' sh "$@" >>"$dir/log" 2>&1 </dev/null &',
  'echo $! >"$dir/pid.tmp" && mv "$dir/pid.tmp" "$dir/pid"',
  'wait $!',
  'echo $? >"$dir/exit.tmp" && mv "$dir/exit.tmp" "$dir/exit"',
].join('\n');
