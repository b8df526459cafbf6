#!/usr/bin/python3
"""Runs a command and measures the communique-ingest and communique-query
processes it starts: peak resident memory and CPU, the figures the
manifests' resource requests and limits are sized from (deploy/README.md).

  deploy/measure_resources.py -- COMMAND [ARG...]

e.g. `deploy/measure_resources.py -- scripts/bench.sh --smoke --no-build`.
Every 0.2 s it reads /proc of the command's descendants named
communique-ingest / communique-query: VmHWM (peak RSS, as the kernel keeps
it), utime+stime. When the command ends it prints, per process: peak RSS,
CPU seconds, average cores over its life and the busiest 1-second window.
Linux only; reads /proc, changes nothing.
"""
import os
import subprocess
import sys
import time

TICK = os.sysconf("SC_CLK_TCK")
NAMES = {"communique-inge": "ingest", "communique-quer": "query"}  # comm is 15 chars


def children_of(root):
  parents = {}
  for entry in os.listdir("/proc"):
    if not entry.isdigit():
      continue
    try:
      with open(f"/proc/{entry}/stat") as f:
        stat = f.read()
    except OSError:
      continue
    fields = stat[stat.rindex(")") + 2:].split()
    parents[int(entry)] = int(fields[1])
  found, frontier = set(), {root}
  while frontier:
    frontier = {p for p, pp in parents.items() if pp in frontier} - found
    found |= frontier
  return found


def sample(pid):
  try:
    with open(f"/proc/{pid}/comm") as f:
      comm = f.read().strip()
    if comm not in NAMES:
      return None
    with open(f"/proc/{pid}/stat") as f:
      stat = f.read()
    fields = stat[stat.rindex(")") + 2:].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    status = {}
    with open(f"/proc/{pid}/status") as f:
      for line in f:
        key, _, value = line.partition(":")
        status[key] = value.strip()
    hwm = int(status.get("VmHWM", "0 kB").split()[0]) / 1024
    rss = int(status.get("VmRSS", "0 kB").split()[0]) / 1024
    return NAMES[comm], cpu, hwm, rss
  except (OSError, ValueError, IndexError):
    return None


def main():
  if "--" not in sys.argv or sys.argv.index("--") == len(sys.argv) - 1:
    print(__doc__, file=sys.stderr)
    return 2
  command = sys.argv[sys.argv.index("--") + 1:]
  proc = subprocess.Popen(command)
  seen = {}  # pid -> dict
  while proc.poll() is None:
    now = time.monotonic()
    for pid in children_of(proc.pid):
      s = sample(pid)
      if s is None:
        continue
      name, cpu, hwm, _ = s
      p = seen.setdefault(pid, {"name": name, "start": now, "cpu0": cpu, "series": []})
      # An exiting process's status may read empty: keep the largest.
      p.update(last=now, cpu=max(cpu, p.get("cpu", 0)), hwm=max(hwm, p.get("hwm", 0)))
      p["series"].append((now, cpu))
    time.sleep(0.2)
  print(f"\n== resources of {' '.join(command)}")
  print(f"{'process':8} {'pid':>7} {'peak RSS':>10} {'CPU s':>7} {'avg cores':>10} {'busiest 1 s':>12}")
  for pid, p in sorted(seen.items()):
    life = max(p["last"] - p["start"], 1e-9)
    busiest = 0.0
    series = p["series"]
    j = 0
    for i in range(len(series)):
      while series[i][0] - series[j][0] > 1.0:
        j += 1
      if series[i][0] - series[j][0] >= 0.8:
        busiest = max(busiest, (series[i][1] - series[j][1]) / (series[i][0] - series[j][0]))
    used = p["cpu"] - p["cpu0"]
    print(f"{p['name']:8} {pid:>7} {p['hwm']:>7.0f} MiB {used:>7.1f} "
          f"{used / life:>10.2f} {busiest:>12.2f}")
  return proc.returncode


if __name__ == "__main__":
  sys.exit(main())
