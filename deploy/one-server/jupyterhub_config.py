# 《电子商务客服管理》单服务器 JupyterHub 配置（与 The Littlest JupyterHub 同样的做法）：
#   一台服务器、一个或几个班的登录、课程环境、空闲回收、每个学生的资源上限。
# 安装步骤见同一文件夹的 install.sh 和 README.md 的“在学校服务器上给全班用（JupyterHub）”一节。
#
# 可以用环境变量改的设置（写在 systemd 服务文件 jupyterhub.service 里）：
#   COURSE_HOME        课程文件夹，默认 /opt/course（里面有 venv/、student-edition/、名单.csv）
#   COURSE_ROSTER      班级名单，默认 $COURSE_HOME/名单.csv（含“学号”列；学号就是学生的登录名）
#   COURSE_TEACHERS    老师的登录名（管理员），逗号分隔，默认 teacher
#   COURSE_MEMORY      每个学生最多使用的内存，默认 1G
#   COURSE_CPU         每个学生最多使用的CPU核数，默认 1
#   COURSE_IDLE        学生多久不操作就关闭其服务器（秒），默认 3600
import csv
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (JupyterHub 提供)

HOME = Path(os.environ.get("COURSE_HOME", "/opt/course"))
ROSTER = Path(os.environ.get("COURSE_ROSTER", str(HOME / "名单.csv")))
TEACHERS = {name.strip() for name in os.environ.get("COURSE_TEACHERS", "teacher").split(",") if name.strip()}


def roster_ids(path: Path) -> set[str]:
    """名单里的学号（CSV，UTF-8 或 GBK；第一行要有“学号”列）。没有名单时返回空集合。"""
    if not path.is_file():
        return set()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("gbk")
    rows = list(csv.reader(text.splitlines()))
    if not rows or "学号" not in [cell.strip() for cell in rows[0]]:
        return set()
    col = [cell.strip() for cell in rows[0]].index("学号")
    return {row[col].strip().removesuffix(".0") for row in rows[1:] if len(row) > col and row[col].strip()}


# ---- 登录：学号是登录名，学生第一次登录时自己设密码（FirstUseAuthenticator，TLJH 的默认方式）；
#      只有名单上的学号和老师能登录。改了名单后重启 JupyterHub（sudo systemctl restart jupyterhub）。
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.min_password_length = 8
c.Authenticator.allowed_users = roster_ids(ROSTER) | TEACHERS
c.Authenticator.admin_users = TEACHERS

# ---- 每个学生一个独立的系统用户（systemd 动态用户），各有资源上限，看不到别人的文件
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.mem_limit = os.environ.get("COURSE_MEMORY", "1G")
c.SystemdSpawner.cpu_limit = float(os.environ.get("COURSE_CPU", "1"))
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.unit_extra_properties = {"TasksMax": "256"}     # 每人最多256个进程
c.JupyterHub.active_server_limit = 120        # 同时运行的学生服务器最多120个
c.JupyterHub.concurrent_spawn_limit = 20      # 上课开始时同时启动的最多20个，其余排队

# ---- 课程环境：装有学生版（没有答案）和 nbgitpuller 的 Python 环境；打开 JupyterLab（中文界面）
c.Spawner.cmd = [str(HOME / "venv" / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {"NBGITPULLER_APP": "lab", "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90

# ---- 空闲回收：学生一段时间不操作，关闭其服务器（文件都保留，下次登录接着用）
idle = int(os.environ.get("COURSE_IDLE", "3600"))
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={idle}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

# ---- 服务器本身：数据放在 /srv/jupyterhub；对外端口（前面请用 nginx 等加上 HTTPS，或设置 ssl_cert/ssl_key）
c.JupyterHub.bind_url = os.environ.get("COURSE_HUB_URL", "http://:8000")
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.ConfigurableHTTPProxy.pid_file = "/srv/jupyterhub/jupyterhub-proxy.pid"
c.JupyterHub.cleanup_servers = True
