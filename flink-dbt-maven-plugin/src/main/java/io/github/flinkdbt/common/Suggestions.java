package io.github.flinkdbt.common;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" by edit distance, the way compilers and Spotless suggest names. */
public final class Suggestions {

    private Suggestions() {}

    /** The candidate closest to {@code wrong}, if it is close enough to be a likely typo. */
    public static Optional<String> closest(String wrong, Collection<String> candidates) {
        String needle = wrong.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = distance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance
                    || (distance == bestDistance && best != null && candidate.compareTo(best) < 0)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        int allowed = Math.max(2, needle.length() / 3);
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /** " Did you mean 'x'?" or the empty string. */
    public static String didYouMean(String wrong, Collection<String> candidates) {
        return closest(wrong, candidates).map(s -> " Did you mean '" + s + "'?").orElse("");
    }

    /** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
