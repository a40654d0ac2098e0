// Checks several EPUBs in one JVM (EPUBCheck's own command line takes one file, and each JVM
// start costs seconds). Run as a single-file source program:
//   java -cp epubcheck.jar EpubCheckBatch.java a.epub b.epub ...
// EPUBCheck's usual message lines ("ERROR(RSC-005): file(line,col): text") go to stderr; one
// "RESULT<TAB>file<TAB>fatals<TAB>errors<TAB>warnings" line per file goes to stdout.
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.util.DefaultReportImpl;
import java.io.File;

public class EpubCheckBatch {
    public static void main(String[] args) {
        int failures = 0;
        for (String path : args) {
            DefaultReportImpl report = new DefaultReportImpl(path);
            EpubCheck check = new EpubCheck(new File(path), report);
            check.doValidate();
            int fatals = report.getFatalErrorCount();
            int errors = report.getErrorCount();
            int warnings = report.getWarningCount();
            System.out.println("RESULT\t" + path + "\t" + fatals + "\t" + errors + "\t" + warnings);
            System.out.flush();
            if (fatals + errors + warnings > 0) failures++;
        }
        System.exit(failures > 0 ? 1 : 0);
    }
}
