package marketplace.search;

import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;

import java.util.List;

/**
 * The stock distribution's {@code analysis-common} module is not published to Maven Central, so
 * custom analyzers could not reference the {@code whitespace} or {@code keyword} tokenizers
 * (the built-in {@code whitespace}, {@code standard}, {@code simple}, {@code keyword} analyzers and
 * the {@code lowercase} filter live in the server jar and work without this).
 *
 * <p>This registers those two tokenizers exactly as analysis-common does (pre-configured, no
 * parameters), so e.g. {@code {"tokenizer": "whitespace", "filter": ["lowercase"]}} works for
 * jieba pre-segmented text with mixed-case Latin words.
 */
public class BasicAnalysisPlugin extends Plugin implements AnalysisPlugin {

    @Override
    public List<PreConfiguredTokenizer> getPreConfiguredTokenizers() {
        return List.of(
            PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new),
            PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new)
        );
    }
}
