#!/usr/bin/env bash
# Regenerates the TEST-ONLY certificate authority, server and client certificates used by nats-config/auth/tls.conf
# and the TLS tests. Never use these outside tests: their private keys are public.
set -euo pipefail
cd "$(dirname "$0")"
days=36500
openssl req -x509 -newkey rsa:2048 -nodes -days $days -subj "/CN=Imb Test CA" -keyout ca-key.pem -out ca.pem 2>/dev/null
for name in server client; do
  openssl req -newkey rsa:2048 -nodes -subj "/CN=imb-test-$name" -keyout $name-key.pem -out $name.csr 2>/dev/null
  printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=%s\n' \
    "$([ $name = server ] && echo serverAuth || echo clientAuth)" > $name.ext
  openssl x509 -req -in $name.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days $days -extfile $name.ext -out $name-cert.pem 2>/dev/null
  rm $name.csr $name.ext
done
rm -f ca.srl
