package io.switchyard.admin.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** {@code GET /metrics}: the registry in Prometheus text format. */
public final class MetricsRoute {
    private MetricsRoute() {
    }

    public static HttpServer.Route of(PrometheusRegistry registry) {
        PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
        return (request, uri) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            try {
                writer.write(out, registry.scrape());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return CompletableFuture.completedFuture(new HttpServer.Response(HttpResponseStatus.OK,
                    PrometheusTextFormatWriter.CONTENT_TYPE, out.toByteArray()));
        };
    }
}
