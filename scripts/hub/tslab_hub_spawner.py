"""JupyterHub spawner for a class on one server: LocalProcessSpawner (one system account per student) with

- a private copy of the project's notebooks/ in each student's home on first login (never overwritten later);
- per-student memory and CPU limits enforced with cgroups (v1 `memory` + `cpu` controllers, or cgroup v2), since
  LocalProcessSpawner itself ignores `mem_limit` / `cpu_limit` and this machine kind has no systemd to run
  `systemd-run` (SystemdSpawner's route). The server process joins its cgroup before dropping root, so its
  kernels inherit it; stopping the server kills whatever is left in the cgroup.
"""
import os
import pwd
import shutil
import signal
import time

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode

LESSONS_DIR_NAME = "tslab-keras-lessons"


def _own_cgroup_v1(controller):
    """Path of this process's cgroup for a v1 controller, or None when that controller is not mounted."""
    root = f"/sys/fs/cgroup/{controller}"
    if not os.path.isdir(root):
        return None
    with open("/proc/self/cgroup") as f:
        for line in f:
            _, controllers, path = line.rstrip("\n").split(":", 2)
            if controller in controllers.split(","):
                return os.path.join(root, path.lstrip("/"))
    return None


class Cgroups:
    """Creates, limits, measures and empties one cgroup per student, under a parent for the whole class."""

    def __init__(self, class_name):
        self.v2 = os.path.exists("/sys/fs/cgroup/cgroup.controllers")
        if self.v2:
            with open("/proc/self/cgroup") as f:
                own = f.read().strip().split("::", 1)[-1]
            self.parents = {"unified": os.path.join("/sys/fs/cgroup", own.lstrip("/"), class_name)}
        else:
            self.parents = {}
            for controller in ("memory", "cpu"):
                base = _own_cgroup_v1(controller)
                if base and os.access(base, os.W_OK):
                    self.parents[controller] = os.path.join(base, class_name)

    def available(self):
        return bool(self.parents)

    def dirs(self, name):
        return {c: os.path.join(parent, name) for c, parent in self.parents.items()}

    def create(self, name, mem_limit, cpu_limit):
        dirs = self.dirs(name)
        for path in dirs.values():
            os.makedirs(path, exist_ok=True)
        self._share_cpu_fairly()
        if self.v2:
            path = dirs["unified"]
            parent = os.path.dirname(path)
            _write(os.path.join(parent, "cgroup.subtree_control"), "+memory +cpu", quiet=True)
            if mem_limit:
                _write(os.path.join(path, "memory.max"), str(mem_limit))
            if cpu_limit:
                _write(os.path.join(path, "cpu.max"), f"{int(cpu_limit * 100000)} 100000")
        else:
            if mem_limit and "memory" in dirs:
                _write(os.path.join(dirs["memory"], "memory.limit_in_bytes"), str(mem_limit))
            if cpu_limit and "cpu" in dirs:
                _write(os.path.join(dirs["cpu"], "cpu.cfs_period_us"), "100000")
                _write(os.path.join(dirs["cpu"], "cpu.cfs_quota_us"), str(int(cpu_limit * 100000)))
        return dirs

    def _share_cpu_fairly(self):
        """Weights the class's parent cgroup by its number of students: a cgroup competes with the machine's
        other processes as one task, so 5 students' kernels would otherwise get one process's CPU share."""
        parent = self.parents.get("unified") or self.parents.get("cpu")
        if not parent:
            return
        students = sum(os.path.isdir(os.path.join(parent, d)) for d in os.listdir(parent))
        if self.v2:
            _write(os.path.join(parent, "cpu.weight"), str(min(10000, 100 * max(1, students))), quiet=True)
        else:
            _write(os.path.join(parent, "cpu.shares"), str(1024 * max(1, students)), quiet=True)

    def join(self, name):
        """Moves the calling process into the student's cgroups (called in the child before setuid)."""
        for path in self.dirs(name).values():
            _write(os.path.join(path, "cgroup.procs"), str(os.getpid()))

    def pids(self, name):
        found = set()
        for path in self.dirs(name).values():
            try:
                with open(os.path.join(path, "cgroup.procs")) as f:
                    found.update(int(p) for p in f.read().split())
            except OSError:
                pass
        return found

    def empty(self, name, timeout=5.0):
        """Kills every process left in the student's cgroups, then removes them."""
        deadline = time.monotonic() + timeout
        sig = signal.SIGTERM
        while self.pids(name) and time.monotonic() < deadline:
            for pid in self.pids(name):
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            time.sleep(0.2)
            if time.monotonic() > deadline - timeout / 2:
                sig = signal.SIGKILL
        for path in self.dirs(name).values():
            try:
                os.rmdir(path)
            except OSError:
                pass


def _write(path, text, quiet=False):
    try:
        with open(path, "w") as f:
            f.write(text)
    except OSError:
        if not quiet:
            raise


class ClassroomSpawner(LocalProcessSpawner):
    project_root = Unicode(help="The tslab-keras folder whose notebooks/ each student copies").tag(config=True)
    class_name = Unicode("tslab-keras-hub", help="Name of the class's parent cgroup").tag(config=True)

    _cgroups = None

    @property
    def cgroups(self):
        if ClassroomSpawner._cgroups is None:
            ClassroomSpawner._cgroups = Cgroups(self.class_name)
        return ClassroomSpawner._cgroups

    def lessons_dir(self):
        return os.path.join(pwd.getpwnam(self.user.name).pw_dir, LESSONS_DIR_NAME)

    def copy_lessons(self):
        """First login: the student's own copy of notebooks/ (owned by them); later logins keep their work."""
        account = pwd.getpwnam(self.user.name)
        target = self.lessons_dir()
        if not os.path.isdir(account.pw_dir):
            os.makedirs(account.pw_dir, mode=0o700)
            os.chown(account.pw_dir, account.pw_uid, account.pw_gid)
        if not os.path.exists(target):
            partial = target + ".partial"
            shutil.rmtree(partial, ignore_errors=True)
            shutil.copytree(
                os.path.join(self.project_root, "notebooks"),
                partial,
                ignore=shutil.ignore_patterns(".ipynb_checkpoints", "node_modules"),
            )
            for folder, dirs, files in os.walk(partial):
                for entry in [folder, *(os.path.join(folder, f) for f in files)]:
                    os.chown(entry, account.pw_uid, account.pw_gid)
            os.rename(partial, target)
            self.log.info("Copied the lessons for %s into %s", self.user.name, target)
        # Notebooks `import ... from "tslab-keras"`: Node resolves it through this folder's node_modules.
        link = os.path.join(target, "node_modules")
        if not os.path.islink(link):
            os.symlink(os.path.join(self.project_root, "node_modules"), link)
            os.lchown(link, account.pw_uid, account.pw_gid)

    def make_preexec_fn(self, name):
        setuid = set_user_setuid(name)
        cgroups = self.cgroups if self.cgroups.available() else None

        def preexec():
            if cgroups:
                cgroups.join(name)
            setuid()

        return preexec

    async def start(self):
        self.copy_lessons()
        self.notebook_dir = self.lessons_dir()
        if self.cgroups.available():
            self.cgroups.empty(self.user.name)
            self.cgroups.create(self.user.name, self.mem_limit, self.cpu_limit)
        else:
            self.log.warning("No writable cgroup: %s's memory/CPU limits are not enforced", self.user.name)
        return await super().start()

    async def stop(self, now=False):
        await super().stop(now=now)
        if self.cgroups.available():
            self.cgroups.empty(self.user.name)
