package io.github.flinkdbt.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.flinkdbt.api.Settings;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecordTextTest {

    record Inner(String name, Map<String, Object> values) {}

    record Outer(Inner inner, List<Object> items, int count) {}

    @Test
    void equalRecordsGiveEqualTextsWhateverOrderTheirMapsWereFilledIn() {
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", Map.of("y", 2, "x", 1));
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", new LinkedHashMap<>(Map.of("x", 1, "y", 2)));
        ba.put("a", 1);

        assertThat(RecordText.of(new Outer(new Inner("n", ab), List.of("p"), 3)))
                .isEqualTo(RecordText.of(new Outer(new Inner("n", ba), List.of("p"), 3)))
                .isEqualTo("Outer[inner=Inner[name=\"n\", values={\"a\": 1, \"b\": {\"x\": 1, \"y\": 2, }, }, ], "
                        + "items=[\"p\", ], count=3, ]");
    }

    @Test
    void aNumberAndAStringOfItsDigitsDiffer() {
        assertThat(RecordText.of(new Inner("n", Map.of("limit", 10))))
                .isNotEqualTo(RecordText.of(new Inner("n", Map.of("limit", "10"))));
        assertThat(RecordText.of(new Inner("a\", b", Map.of())))
                .isNotEqualTo(RecordText.of(new Inner("a", Map.of("b", ""))));
    }

    @Test
    void everyCompileSettingIsInTheText() {
        Settings.Compile compile = Settings.builder(Path.of("/p"))
                .vars(Map.of("v", 1))
                .baseline("deployed")
                .build()
                .compile();
        String text = RecordText.of(compile);
        for (RecordComponent component : Settings.Compile.class.getRecordComponents()) {
            assertThat(text).containsPattern("[\\[ ]" + component.getName() + "=");
        }
        assertThat(text).contains("baseline=\"deployed\"").contains("vars={\"v\": 1, }");
    }
}
