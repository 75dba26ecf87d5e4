// Lucene peer for scripts/bench-peers, compiled with javac against Anserini's fat jar (shipped in
// the PyPI wheel pyserini==0.25.0, Lucene 9.9.x inside). Two modes:
//
//   java -cp FATJAR:DIR LuceneBench index INDEX_DIR NDJSON THREADS RAM_MB
//       IndexWriter + StandardAnalyzer over the NDJSON written by scripts/peers/to_ndjson.py:
//       id/entity_ids/entity_types as StringField (exact, one value per entry), title/abstract/
//       mentions as TextField; every field stored. THREADS worker threads parse JSON and call
//       addDocument (the main thread reads lines); one commit at the end; close() waits for merges.
//       Prints one JSON line of figures.
//
//   java -cp FATJAR:DIR LuceneBench query INDEX_DIR QUERIES.tsv OUT.json WARMUP REPEAT
//       QUERIES.tsv: name TAB entities TAB words TAB phrase (space separated; entities Type:ID).
//       Query = MUST for every clause; a word or the phrase is a SHOULD over title/abstract/mentions,
//       an entity a TermQuery on entity_ids. Per query: one pass collecting the top 10 by BM25 with an
//       exact total hit count (TopScoreDocCollector with totalHitsThreshold = MAX_VALUE), then the
//       10 stored documents are loaded. WARMUP passes over all queries, then REPEAT timed passes.
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.PhraseQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopScoreDocCollector;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Version;

public class LuceneBench {
  static final String[] TEXT_FIELDS = {"title", "abstract", "mentions"};
  static final String EOF = "\u0000EOF";

  public static void main(String[] args) throws Exception {
    java.util.Locale.setDefault(java.util.Locale.ROOT);
    if (args.length >= 5 && args[0].equals("index")) {
      index(Paths.get(args[1]), Paths.get(args[2]), Integer.parseInt(args[3]), Double.parseDouble(args[4]));
    } else if (args.length >= 6 && args[0].equals("query")) {
      query(Paths.get(args[1]), Paths.get(args[2]), Paths.get(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    } else {
      System.err.println("usage: LuceneBench index DIR NDJSON THREADS RAM_MB | query DIR QUERIES.tsv OUT.json WARMUP REPEAT");
      System.exit(2);
    }
  }

  static void index(Path dir, Path ndjson, int threads, double ramMb) throws Exception {
    long t0 = System.nanoTime();
    IndexWriterConfig cfg = new IndexWriterConfig(new StandardAnalyzer());
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    cfg.setRAMBufferSizeMB(ramMb);
    IndexWriter w = new IndexWriter(FSDirectory.open(dir), cfg);
    BlockingQueue<String> q = new ArrayBlockingQueue<>(1024);
    AtomicLong docs = new AtomicLong();
    List<Thread> workers = new ArrayList<>();
    final Throwable[] failure = new Throwable[1];
    for (int i = 0; i < threads; i++) {
      Thread t = new Thread(() -> {
        ObjectMapper om = new ObjectMapper();
        try {
          while (true) {
            String line = q.take();
            if (line == EOF) { q.put(EOF); return; }
            JsonNode n = om.readTree(line);
            Document d = new Document();
            d.add(new StringField("id", n.get("id").asText(), Field.Store.YES));
            d.add(new TextField("title", n.get("title").asText(), Field.Store.YES));
            d.add(new TextField("abstract", n.get("abstract").asText(), Field.Store.YES));
            for (JsonNode m : n.get("mentions")) d.add(new TextField("mentions", m.asText(), Field.Store.YES));
            for (JsonNode m : n.get("entity_ids")) d.add(new StringField("entity_ids", m.asText(), Field.Store.YES));
            for (JsonNode m : n.get("entity_types")) d.add(new StringField("entity_types", m.asText(), Field.Store.YES));
            w.addDocument(d);
            docs.incrementAndGet();
          }
        } catch (Throwable e) {
          synchronized (failure) { failure[0] = e; }
        }
      });
      t.start();
      workers.add(t);
    }
    try (BufferedReader r = Files.newBufferedReader(ndjson, StandardCharsets.UTF_8)) {
      String line;
      while ((line = r.readLine()) != null) {
        if (!line.isEmpty()) q.put(line);
        if (failure[0] != null) break;
      }
    }
    q.put(EOF);
    for (Thread t : workers) t.join();
    if (failure[0] != null) throw new RuntimeException(failure[0]);
    long t1 = System.nanoTime();
    w.commit();
    w.close();
    long t2 = System.nanoTime();
    System.out.printf("{\"lucene_version\": \"%s\", \"documents\": %d, \"add_seconds\": %.3f, \"commit_close_seconds\": %.3f}%n",
        Version.LATEST, docs.get(), (t1 - t0) / 1e9, (t2 - t1) / 1e9);
  }

  static List<String> analyze(Analyzer a, String text) throws Exception {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = a.tokenStream("abstract", text)) {
      CharTermAttribute att = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) out.add(att.toString());
      ts.end();
    }
    return out;
  }

  static Query anyTextField(List<String> tokens) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String f : TEXT_FIELDS) {
      Query fq;
      if (tokens.size() == 1) {
        fq = new TermQuery(new Term(f, tokens.get(0)));
      } else {
        PhraseQuery.Builder pb = new PhraseQuery.Builder();
        for (String t : tokens) pb.add(new Term(f, t));
        fq = pb.build();
      }
      b.add(fq, BooleanClause.Occur.SHOULD);
    }
    return b.build();
  }

  static void query(Path dir, Path queries, Path out, int warmup, int repeat) throws Exception {
    Analyzer a = new StandardAnalyzer();
    List<String> names = new ArrayList<>();
    List<Query> qs = new ArrayList<>();
    for (String line : Files.readAllLines(queries, StandardCharsets.UTF_8)) {
      if (line.isBlank()) continue;
      String[] c = line.split("\t", -1);
      BooleanQuery.Builder b = new BooleanQuery.Builder();
      for (String e : c[1].trim().split(" ")) {
        if (!e.isEmpty()) b.add(new TermQuery(new Term("entity_ids", e)), BooleanClause.Occur.MUST);
      }
      for (String word : c[2].trim().split(" ")) {
        if (word.isEmpty()) continue;
        for (String t : analyze(a, word)) b.add(anyTextField(List.of(t)), BooleanClause.Occur.MUST);
      }
      if (!c[3].trim().isEmpty()) b.add(anyTextField(analyze(a, c[3])), BooleanClause.Occur.MUST);
      names.add(c[0]);
      qs.add(b.build());
    }
    long tOpen = System.nanoTime();
    DirectoryReader reader = DirectoryReader.open(FSDirectory.open(dir));
    IndexSearcher searcher = new IndexSearcher(reader);
    long openNs = System.nanoTime() - tOpen;
    long[][] samples = new long[qs.size()][repeat];
    long[] hits = new long[qs.size()];
    long sink = 0;
    for (int pass = 0; pass < warmup + repeat; pass++) {
      for (int i = 0; i < qs.size(); i++) {
        long s = System.nanoTime();
        TopScoreDocCollector col = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
        searcher.search(qs.get(i), col);
        TopDocs td = col.topDocs();
        StoredFields sf = searcher.storedFields();
        for (ScoreDoc sd : td.scoreDocs) {
          Document d = sf.document(sd.doc);
          sink += d.get("id").length();
        }
        long e = System.nanoTime();
        hits[i] = td.totalHits.value;
        if (pass >= warmup) samples[i][pass - warmup] = e - s;
      }
    }
    try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8))) {
      pw.printf("{\"lucene_version\": \"%s\", \"open_ms\": %.3f, \"sink\": %d, \"queries\": [", Version.LATEST, openNs / 1e6, sink);
      for (int i = 0; i < qs.size(); i++) {
        if (i > 0) pw.print(", ");
        pw.printf("{\"name\": \"%s\", \"lucene_query\": \"%s\", \"hits\": %d, \"ms\": [", names.get(i),
            qs.get(i).toString().replace("\\", "\\\\").replace("\"", "\\\""), hits[i]);
        for (int r = 0; r < repeat; r++) {
          if (r > 0) pw.print(", ");
          pw.printf("%.4f", samples[i][r] / 1e6);
        }
        pw.print("]}");
      }
      pw.println("]}");
    }
    reader.close();
  }
}
