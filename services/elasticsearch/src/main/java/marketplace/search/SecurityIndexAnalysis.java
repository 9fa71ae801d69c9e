package marketplace.search;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.pattern.PatternCaptureGroupTokenFilter;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;

import java.io.IOException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The analysis parts that Elasticsearch's own {@code .security} index asks for (its {@code email} analyzer:
 * tokenizer {@code uax_url_email}, filters {@code pattern_capture}, {@code lowercase}, {@code unique}). They live
 * in the {@code analysis-common} module, which the minimal distribution lacks; without them security can keep
 * file-realm users but cannot store API keys. Built on Lucene's own tokenizer and filter where Lucene has one.
 */
final class SecurityIndexAnalysis {

    private SecurityIndexAnalysis() {}

    static PreConfiguredTokenizer urlEmailTokenizer() {
        return PreConfiguredTokenizer.singleton("uax_url_email", UAX29URLEmailTokenizer::new);
    }

    static PreConfiguredTokenFilter uniqueFilter() {
        return PreConfiguredTokenFilter.singleton("unique", false, UniqueTokenFilter::new);
    }

    /** {@code {"type": "pattern_capture", "patterns": [...], "preserve_original": true}}. */
    static final class PatternCaptureFactory extends AbstractTokenFilterFactory {
        private final Pattern[] patterns;
        private final boolean preserveOriginal;

        PatternCaptureFactory(IndexSettings indexSettings, Environment environment, String name, Settings settings) {
            super(name, settings);
            List<String> regexes = settings.getAsList("patterns", List.of());
            if (regexes.isEmpty()) {
                throw new IllegalArgumentException("token filter [" + name + "] needs [patterns]");
            }
            this.patterns = regexes.stream().map(Pattern::compile).toArray(Pattern[]::new);
            this.preserveOriginal = settings.getAsBoolean("preserve_original", true);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return new PatternCaptureGroupTokenFilter(tokenStream, preserveOriginal, patterns);
        }
    }

    /** Drops a token whose text was already seen earlier in the same stream. */
    static final class UniqueTokenFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);

        UniqueTokenFilter(TokenStream input) {
            super(input);
        }

        @Override
        public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                if (seen.contains(term.buffer(), 0, term.length()) == false) {
                    seen.add(term.toString());
                    return true;
                }
            }
            return false;
        }

        @Override
        public void reset() throws IOException {
            super.reset();
            seen.clear();
        }
    }
}
