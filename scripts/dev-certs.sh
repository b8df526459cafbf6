#!/usr/bin/env bash
# Makes a throwaway CA, a server certificate for localhost/127.0.0.1 and a
# client certificate, for the demo and the tests. Never use in production.
#   scripts/dev-certs.sh DIR [DAYS]
# Writes DIR/{ca.pem,ca.key,server.pem,server.key,client.pem,client.key,
# expired-client.pem,expired-client.key}.
set -euo pipefail
dir="$1"
days="${2:-30}"
mkdir -p "$dir"
cd "$dir"
if [ -f server.pem ] && openssl x509 -checkend 86400 -noout -in server.pem >/dev/null 2>&1; then
  exit 0
fi
umask 077
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days "$days" \
  -subj "/CN=communique-dev-ca" >/dev/null 2>&1
cat > server.ext <<EXT
subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1
extendedKeyUsage=serverAuth
EXT
openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr \
  -subj "/CN=localhost" >/dev/null 2>&1
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out server.pem -days "$days" -extfile server.ext >/dev/null 2>&1
cat > client.ext <<EXT
extendedKeyUsage=clientAuth
EXT
openssl req -newkey rsa:2048 -nodes -keyout client.key -out client.csr \
  -subj "/CN=communique-dev-client" >/dev/null 2>&1
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out client.pem -days "$days" -extfile client.ext >/dev/null 2>&1
# An already-expired client certificate, for tests that it is refused.
openssl req -newkey rsa:2048 -nodes -keyout expired-client.key -out expired.csr \
  -subj "/CN=communique-expired-client" >/dev/null 2>&1
openssl x509 -req -in expired.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
  -out expired-client.pem -days -1 -extfile client.ext >/dev/null 2>&1
rm -f server.csr client.csr expired.csr server.ext client.ext ca.srl
chmod 600 *.key
