{{- define "hotel.labels" -}}
app.kubernetes.io/part-of: hotel-platform
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}

{{/* The image every workload runs: image.tag, or the chart's appVersion. Never `latest`. */}}
{{- define "hotel.image" -}}
{{- $tag := .Values.image.tag | default .Chart.AppVersion -}}
{{- if eq $tag "latest" }}{{ fail "image.tag must name a release (e.g. v1.4.2 or a commit), not latest: there would be nothing to roll back to" }}{{ end -}}
{{ .Values.image.repository }}:{{ $tag }}
{{- end -}}

{{/* Non-root, read-only root filesystem, no privilege escalation, no capabilities. */}}
{{- define "hotel.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile: { type: RuntimeDefault }
{{- end -}}
{{- define "hotel.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities: { drop: [ALL] }
{{- end -}}

{{/* GATEWAY_URL, QUERY_ENGINE_URL, ... pointing at each Service in the namespace. */}}
{{- define "hotel.serviceUrls" -}}
- { name: GATEWAY_URL, value: "http://api-gateway:8080" }
- { name: QUERY_ENGINE_URL, value: "http://query-engine:8080" }
- { name: ORDER_URL, value: "http://order-service:8080" }
- { name: SUPPLIER_ADAPTER_URL, value: "http://supplier-adapter:8080" }
- { name: MATCHING_URL, value: "http://matching-service:8080" }
- { name: PRICING_URL, value: "http://pricing-service:8080" }
- { name: SETTLEMENT_URL, value: "http://settlement-service:8080" }
- { name: INVENTORY_URL, value: "http://inventory-service:8080" }
- { name: RISK_URL, value: "http://risk-service:8080" }
- { name: BI_URL, value: "http://bi-service:8080" }
{{- end -}}

{{/* What every workload reads: the secret, the environment's config rows, log level, traces. */}}
{{- define "hotel.commonEnv" -}}
- { name: CONFIG_ENV, value: {{ .Values.configEnv | quote }} }
- { name: LOG_LEVEL, value: {{ .Values.logLevel | quote }} }
- { name: RABBITMQ_QUEUE_TYPE, value: {{ .Values.rabbitmqQueueType | quote }} }
{{- with .Values.otlpEndpoint }}
- { name: OTEL_EXPORTER_OTLP_ENDPOINT, value: {{ . | quote }} }
{{- end }}
{{- end -}}
