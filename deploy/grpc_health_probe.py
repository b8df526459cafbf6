#!/usr/bin/python3
"""Asks a server's grpc.health.v1.Health/Check over TLS; exit 0 if SERVING.

  grpc_health_probe.py --addr=HOST:PORT --ca=ca.pem [--service=NAME]
      [--server_name=NAME] [--timeout=SECONDS] [--wait=SECONDS]

Needs only python3-grpcio: the two tiny messages are encoded by hand
(HealthCheckRequest{string service = 1}, HealthCheckResponse{enum status = 1}).
With --wait it retries until SERVING or the time is up (a replica becomes
ready only once it has caught up with the change feed).
"""
import argparse
import sys
import time

import grpc

STATUS = {0: "UNKNOWN", 1: "SERVING", 2: "NOT_SERVING", 3: "SERVICE_UNKNOWN"}


def encode_request(service):
  data = service.encode()
  if not data:
    return b""
  assert len(data) < 128
  return b"\x0a" + bytes([len(data)]) + data


def decode_status(data):
  # Field 1, varint (tag 0x08); absent means 0 (UNKNOWN).
  if len(data) >= 2 and data[0] == 0x08:
    return data[1]
  return 0


def main():
  ap = argparse.ArgumentParser()
  ap.add_argument("--addr", required=True)
  ap.add_argument("--ca", required=True)
  ap.add_argument("--service", default="")
  ap.add_argument("--server_name", default="")
  ap.add_argument("--timeout", type=float, default=5)
  ap.add_argument("--wait", type=float, default=0)
  args = ap.parse_args()
  options = []
  if args.server_name:
    options.append(("grpc.ssl_target_name_override", args.server_name))
  creds = grpc.ssl_channel_credentials(open(args.ca, "rb").read())
  channel = grpc.secure_channel(args.addr, creds, options)
  check = channel.unary_unary("/grpc.health.v1.Health/Check",
                              request_serializer=lambda b: b,
                              response_deserializer=lambda b: b)
  deadline = time.monotonic() + args.wait
  while True:
    try:
      status = STATUS.get(decode_status(
          check(encode_request(args.service), timeout=args.timeout)), "?")
    except grpc.RpcError as e:
      status = e.code().name
    if status == "SERVING" or time.monotonic() >= deadline:
      break
    time.sleep(0.2)
  print(f"health: {args.addr} service={args.service or '(server)'} {status}")
  return 0 if status == "SERVING" else 1


if __name__ == "__main__":
  sys.exit(main())
