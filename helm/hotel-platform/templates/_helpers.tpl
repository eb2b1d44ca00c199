{{- define "hotel.labels" -}}
app.kubernetes.io/part-of: hotel-platform
app.kubernetes.io/managed-by: {{ .Release.Service }}
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
