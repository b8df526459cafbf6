"""Generates the gRPC stubs into the build at install time.

Everything else is in pyproject.toml. protoc and grpc_python_plugin come
from Debian's protobuf-compiler-grpc; only communique/v1/*.proto are
compiled (google/protobuf/* ship with python3-protobuf).
"""

import glob
import os
import pathlib
import shutil
import subprocess

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = pathlib.Path(__file__).resolve().parent


def proto_dir():
  configured = os.environ.get("COMMUNIQUE_PROTO_DIR")
  path = pathlib.Path(configured) if configured else HERE.parent.parent / "proto"
  if not (path / "communique" / "v1").is_dir():
    raise SystemExit(
        f"communique: no protos in {path}/communique/v1; build from the "
        "repository (clients/python) or set COMMUNIQUE_PROTO_DIR")
  return path


def tool(name):
  found = shutil.which(name)
  if not found:
    raise SystemExit(
        f"communique: {name} not found; apt-get install protobuf-compiler-grpc")
  return found


class BuildWithStubs(build_py):
  """build_py, then protoc --python_out --grpc_python_out into the build."""

  def run(self):
    super().run()
    protos = proto_dir()
    sources = sorted(glob.glob(str(protos / "communique" / "v1" / "*.proto")))
    out = pathlib.Path(self.build_lib)
    subprocess.run(
        [tool("protoc"), f"-I{protos}", f"--python_out={out}",
         f"--grpc_python_out={out}",
         f"--plugin=protoc-gen-grpc_python={tool('grpc_python_plugin')}",
         *sources],
        check=True)
    generated = list((out / "communique" / "v1").glob("*_pb2*.py"))
    if len(generated) < 2 * len(sources):
      raise SystemExit(f"communique: protoc wrote {len(generated)} modules "
                       f"for {len(sources)} protos")


setup(cmdclass={"build_py": BuildWithStubs})
