package io.github.flinkdbt.project;

import java.util.List;
import java.util.function.Function;

/**
 * A template rendered by Jinjava, still carrying position markers and ref placeholders. {@link
 * #toSql} resolves the placeholders and strips the markers into {@link SqlText} with its map.
 */
final class RenderedTemplate {

    private final String output;
    private final RenderState state;
    private final TemplateInstrumenter.Instrumented template;

    RenderedTemplate(String output, RenderState state, TemplateInstrumenter.Instrumented template) {
        this.output = output;
        this.state = state;
        this.template = template;
    }

    RenderState state() {
        return state;
    }

    /** The SQL with each ref placeholder replaced by {@code resolve}'s text for it. */
    SqlText toSql(Function<RenderState.RefCall, String> resolve) {
        SourceText source = template.source();
        List<TemplateInstrumenter.Marker> markers = template.markers();
        List<RenderState.RefCall> placeholders = state.placeholders();
        SqlText.Builder sql = new SqlText.Builder();
        int segmentStart = 0;
        int segmentSource = 0;
        int segmentLength = 0;
        sql.mark(source, 0, 0);
        int i = 0;
        while (i < output.length()) {
            char c = output.charAt(i);
            boolean special = c == TemplateInstrumenter.MARK_OPEN || c == TemplateInstrumenter.PLACEHOLDER_OPEN;
            int index = special ? token(output, i) : -1;
            if (index < 0) {
                if (!special) {
                    sql.appendRaw(c);
                }
                i++;
                continue;
            }
            i += TemplateInstrumenter.DIGITS + 2;
            if (c == TemplateInstrumenter.MARK_OPEN && index < markers.size()) {
                TemplateInstrumenter.Marker marker = markers.get(index);
                segmentStart = sql.length();
                segmentSource = marker.sourceOffset();
                segmentLength = marker.length();
                sql.mark(source, segmentSource, segmentLength);
            } else if (c == TemplateInstrumenter.PLACEHOLDER_OPEN && index < placeholders.size()) {
                int at = segmentSource + Math.min(sql.length() - segmentStart, segmentLength);
                sql.appendGenerated(resolve.apply(placeholders.get(index)), source, at);
                segmentStart = sql.length();
                segmentSource = at;
                segmentLength = 0;
                sql.mark(source, at, 0);
            }
        }
        return sql.build();
    }

    /** The index of a well-formed marker or placeholder at {@code i}, or -1. */
    private static int token(String text, int i) {
        int end = i + TemplateInstrumenter.DIGITS + 1;
        if (end >= text.length()) {
            return -1;
        }
        char close = text.charAt(i) == TemplateInstrumenter.MARK_OPEN
                ? TemplateInstrumenter.MARK_CLOSE
                : TemplateInstrumenter.PLACEHOLDER_CLOSE;
        if (text.charAt(end) != close) {
            return -1;
        }
        int value = 0;
        for (int k = i + 1; k < end; k++) {
            char d = text.charAt(k);
            if (d < '0' || d > '9') {
                return -1;
            }
            value = value * 10 + (d - '0');
        }
        return value;
    }

    /** The text with markers removed and placeholders shown as their model names (for docs). */
    static String plain(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ((c == TemplateInstrumenter.MARK_OPEN || c == TemplateInstrumenter.PLACEHOLDER_OPEN)
                    && token(text, i) >= 0) {
                i += TemplateInstrumenter.DIGITS + 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
