# The executables and their local ports (inside containers every service listens on 8080).
SERVICES=(gateway query-engine order supplier-adapter matching pricing settlement inventory risk bi supplier-sim)
declare -A SERVICE_PORT=(
    [gateway]=8080 [query-engine]=8081 [order]=8082 [supplier-adapter]=8083 [matching]=8084
    [pricing]=8085 [settlement]=8086 [inventory]=8087 [risk]=8088 [bi]=8089 [supplier-sim]=8090
)

# Release builds link the Swift runtime and Foundation statically, as the image does (compose/
# Dockerfile): what runs locally is what ships, and it starts faster and holds less memory.
build_release() { swift build -c release --static-swift-stdlib "$@"; }

# Started with every service: libpq links LDAP, which links GnuTLS, whose set-up at load time
# touches ~0.6 MB per process; nothing here uses LDAP (OpenLDAP initializes GnuTLS itself if it does).
SERVICE_PROCESS_ENV=(GNUTLS_NO_IMPLICIT_INIT=1)

# GATEWAY_URL, QUERY_ENGINE_URL, ... for every service, pointing at the local ports.
service_urls_env() {
    local s var
    for s in "${SERVICES[@]}"; do
        var=$(echo "$s" | tr 'a-z-' 'A-Z_')_URL
        export "$var=http://127.0.0.1:${SERVICE_PORT[$s]}"
    done
}
