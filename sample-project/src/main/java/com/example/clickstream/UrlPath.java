package com.example.clickstream;

import org.apache.flink.table.functions.ScalarFunction;

/** The path of a URL without query string: {@code https://shop.example/p/42?ref=x} → {@code /p/42}. */
public class UrlPath extends ScalarFunction {

    public String eval(String url) {
        if (url == null) {
            return null;
        }
        int start = url.indexOf("://");
        int path = url.indexOf('/', start < 0 ? 0 : start + 3);
        if (path < 0) {
            return "/";
        }
        int query = url.indexOf('?', path);
        return query < 0 ? url.substring(path) : url.substring(path, query);
    }
}
