#!/usr/bin/env bash
# Generates the throwaway PKI the TLS runs use, under $WORK/tls/ (idempotent: kept if present
# and still valid for a day):
#   ca.pem ca.key                 a CA ("wirecheck test CA")
#   server.pem server.key         localhost, 127.0.0.1 and ::1, signed by the CA (serverAuth)
#   client.pem client.key         "wirecheck test client", signed by the CA (clientAuth)
#   other-ca.pem client-other.pem client-other.key   a client certificate from another CA
# Prints the directory. Needs openssl (installed if missing).
# shellcheck source-path=SCRIPTDIR
set -Eeuo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

DIR="$WORK/tls"
mkdir -p "$DIR"
command -v openssl >/dev/null || ensure_apt_packages openssl

if [[ -s $DIR/client-other.pem ]] && openssl x509 -checkend 86400 -noout -in "$DIR/server.pem" >/dev/null 2>&1; then
  echo "$DIR"
  exit 0
fi

cd "$DIR"
# ca NAME SUBJECT: a self-signed CA certificate and key.
ca() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \
    -subj "/CN=$2" -keyout "$1.key" -out "$1.pem" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    2>/dev/null
}
# leaf NAME CA SUBJECT EXTFILE-LINES: a certificate signed by CA.
leaf() {
  local name=$1 ca=$2 subject=$3 ext=$4
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$subject" \
    -keyout "$name.key" -out "$name.csr" 2>/dev/null
  printf '%b\n' "$ext" >"$name.ext"
  openssl x509 -req -in "$name.csr" -CA "$ca.pem" -CAkey "$ca.key" -CAcreateserial -days 30 \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
ca ca "wirecheck test CA"
ca other-ca "wirecheck untrusted CA"
leaf server ca localhost \
  "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
leaf client ca "wirecheck test client" \
  "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth"
leaf client-other other-ca "wirecheck stranger" \
  "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=clientAuth"
chmod 600 ./*.key
log "test PKI in $DIR"
echo "$DIR"
