# Sourced by bin/demo and bin/test: the virtual environment ($CINEGRAPH_VENV, default
# .venv) with the project installed from its own files. pip's output goes to a log
# file, shown only if the install fails.
venv="${CINEGRAPH_VENV:-.venv}"
python="${PYTHON:-python3}"

install_project() {
    local log="$venv/install.log"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    if ! { "$venv/bin/python" -m pip install --upgrade pip \
        && "$venv/bin/python" -m pip install -e "$1"; } >"$log" 2>&1; then
        echo "installing the project failed; the last lines of $log:" >&2
        tail -n 30 "$log" >&2
        exit 1
    fi
}
