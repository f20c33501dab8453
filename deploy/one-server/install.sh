#!/usr/bin/env bash
# 在一台 Debian 12 / Ubuntu 22.04 以上的服务器上安装《电子商务客服管理》的 JupyterHub（以 root 运行）：
#
#   sudo bash install.sh https://git.学校.edu.cn/老师/ecs-student.git
#
# 参数是学生版仓库的地址（老师用 python -m course_lib release --git 生成、推送到学校 git 服务器的那个）。
# 装好以后：把班级名单放到 /opt/course/名单.csv（含“学号”列），sudo systemctl restart jupyterhub；
# 学生用学号登录、第一次登录时自己设密码。更新课程：老师推送新的学生版后运行
#   sudo bash install.sh --update
# 它更新 /opt/course/student-edition（课程环境用的那一份）；学生点 nbgitpuller 链接时更新自己的那一份。
set -euo pipefail

COURSE_HOME=/opt/course
HUB_HOME=/opt/jupyterhub
HERE="$(cd "$(dirname "$0")" && pwd)"

if [ "${1:-}" = "--update" ]; then
    git -C "$COURSE_HOME/student-edition" pull --ff-only
    "$COURSE_HOME/venv/bin/pip" install -q -e "$COURSE_HOME/student-edition"
    echo "课程环境已更新。"
    exit 0
fi
REPO="${1:?请给出学生版仓库的地址，例如 sudo bash install.sh https://git.xxx.edu.cn/teacher/ecs-student.git}"

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# Python、git、Node.js（configurable-http-proxy 要用）、中文字体（图表）、bubblewrap（老师在服务器上评分时的沙箱）
apt-get install -y -qq python3 python3-venv git nodejs npm fonts-noto-cjk bubblewrap >/dev/null
npm install -g --no-fund --no-audit configurable-http-proxy

# JupyterHub 本身的环境（学生碰不到）
python3 -m venv "$HUB_HOME/venv"
"$HUB_HOME/venv/bin/pip" install -q jupyterhub jupyterhub-systemdspawner jupyterhub-firstuseauthenticator \
    jupyterhub-idle-culler

# 课程环境：学生版（没有答案）+ JupyterLab + nbgitpuller；所有学生共用，只读
python3 -m venv "$COURSE_HOME/venv"
[ -d "$COURSE_HOME/student-edition/.git" ] || git clone -q "$REPO" "$COURSE_HOME/student-edition"
"$COURSE_HOME/venv/bin/pip" install -q -e "$COURSE_HOME/student-edition" jupyterhub nbgitpuller
# JupyterLab 默认中文界面
settings="$COURSE_HOME/venv/share/jupyter/lab/settings"
mkdir -p "$settings"
printf '{"@jupyterlab/translation-extension:plugin": {"locale": "zh_CN"}}\n' > "$settings/overrides.json"
chmod -R a+rX "$COURSE_HOME"

# 配置和服务
mkdir -p /srv/jupyterhub /etc/jupyterhub
chmod 700 /srv/jupyterhub
install -m 0644 "$HERE/jupyterhub_config.py" /etc/jupyterhub/jupyterhub_config.py
cat > /etc/systemd/system/jupyterhub.service <<EOF
[Unit]
Description=JupyterHub（电子商务客服管理）
After=network.target

[Service]
User=root
WorkingDirectory=/srv/jupyterhub
Environment=PATH=$HUB_HOME/venv/bin:/usr/local/bin:/usr/bin:/bin
Environment=COURSE_HOME=$COURSE_HOME
Environment=COURSE_TEACHERS=teacher
ExecStart=$HUB_HOME/venv/bin/jupyterhub -f /etc/jupyterhub/jupyterhub_config.py
Restart=on-failure

[Install]
WantedBy=multi-user.target
EOF
systemctl daemon-reload
systemctl enable --now jupyterhub
echo "JupyterHub 已启动：http://$(hostname -I | awk '{print $1}'):8000 。把名单放到 $COURSE_HOME/名单.csv 后运行 sudo systemctl restart jupyterhub。"
