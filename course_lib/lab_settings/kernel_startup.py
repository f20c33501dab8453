# 由 python -m course_lib lab 打开的每个内核先运行这个文件（PYTHONSTARTUP）：
# 内核刚启动或重启后、还没运行笔记本的第一个单元格时，用到 check、setup 等课程名字会看到中文提示，而不是英文报错。
try:
    from course_lib.kernel_start import explain_before_setup as _explain

    _explain()
    del _explain
except Exception:  # a startup file never stops a kernel
    pass
