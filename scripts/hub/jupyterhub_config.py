# JupyterHub 3.0 (Debian's package) for a class on one server; started by scripts/hub/hub.mjs, which sets the
# TSLAB_HUB_* variables below. Students are local system accounts in the group TSLAB_HUB_GROUP, logging in with
# PAM; each gets a single-user JupyterLab 4 (scripts/hub/setup.mjs builds its environment) run as their own account.
import os
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the project for the spawner module
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

env = os.environ
project = env["TSLAB_HUB_PROJECT"]
state = env["TSLAB_HUB_STATE"]
server_python = env["TSLAB_HUB_SERVER_PYTHON"]

c = get_config()  # noqa: F821 (provided by JupyterHub when it loads this file)

# Loopback only: the public proxy, its API and the hub itself.
c.JupyterHub.bind_url = f"http://127.0.0.1:{env['TSLAB_HUB_PORT']}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(env["TSLAB_HUB_INTERNAL_PORT"])
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{env['TSLAB_HUB_PROXY_API_PORT']}"
c.ConfigurableHTTPProxy.command = [env["TSLAB_HUB_CHP"]]  # configurable-http-proxy from the npm registry
c.ConfigurableHTTPProxy.should_start = True
c.JupyterHub.cleanup_servers = True  # stopping the hub stops every student's server
c.JupyterHub.cleanup_proxy = True
c.JupyterHub.db_url = f"sqlite:///{os.path.join(state, 'jupyterhub.sqlite')}"
c.JupyterHub.cookie_secret_file = os.path.join(state, "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = os.path.join(state, "jupyterhub.pid")

# Local accounts with PAM, limited to one group: the teacher adds a student with `adduser` + that group.
c.JupyterHub.authenticator_class = "jupyterhub.auth.PAMAuthenticator"
c.PAMAuthenticator.allowed_groups = {env.get("TSLAB_HUB_GROUP", "tslab-students")}
c.PAMAuthenticator.open_sessions = False  # no systemd-logind here; sessions add nothing for the servers
admins = [a for a in env.get("TSLAB_HUB_ADMINS", "").split(",") if a]
if admins:
    c.Authenticator.admin_users = set(admins)

# Each student's server: the hub's own singleuser (Debian's jupyterhub 3.0.0, the hub's version) wrapping
# JupyterLab 4's ServerApp, from the environment scripts/hub/setup.mjs builds on Debian's python3.
c.JupyterHub.spawner_class = "tslab_hub_spawner.ClassroomSpawner"
c.ClassroomSpawner.project_root = project
c.Spawner.cmd = [server_python, "-m", "jupyterhub.singleuser"]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = env.get("TSLAB_HUB_MEM_LIMIT", "2G")
c.Spawner.cpu_limit = float(env.get("TSLAB_HUB_CPU_LIMIT", "1"))
c.Spawner.http_timeout = 240  # a loaded 2-core machine imports JupyterLab in tens of seconds
c.Spawner.start_timeout = 240
c.Spawner.environment = {
    "JUPYTERHUB_SINGLEUSER_APP": "jupyter_server.serverapp.ServerApp",
    # The system-wide kernelspec (/usr/local/share/jupyter/kernels/tslab-keras) comes first.
    "JUPYTER_PATH": env.get("TSLAB_HUB_JUPYTER_PATH", "/usr/local/share/jupyter"),
    "TSLAB_KERAS_DATASETS": env["TSLAB_HUB_DATASETS"],
    "PATH": f"{os.path.dirname(server_python)}:/usr/local/bin:/usr/bin:/bin",
}
if env.get("TSLAB_HUB_LESSON_SCALE"):
    c.Spawner.environment["LESSON_SCALE"] = env["TSLAB_HUB_LESSON_SCALE"]

# hub:check drives the class through an admin service token (creating tokens, reading servers).
if env.get("TSLAB_HUB_SERVICE_TOKEN"):
    c.JupyterHub.services = [{"name": "hub-check", "api_token": env["TSLAB_HUB_SERVICE_TOKEN"]}]
    c.JupyterHub.load_roles = [{"name": "hub-check", "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users"], "services": ["hub-check"]}]
