import Metrics
import Prometheus

/// The process's one metrics registry. swift-metrics allows a single bootstrap per
/// process, so every application built in it (tests build many) shares this.
public enum TandemMetrics {
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()
}
