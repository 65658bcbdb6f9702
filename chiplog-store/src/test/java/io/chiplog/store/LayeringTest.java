package io.chiplog.store;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The store's internal layers point one way: the log knows nothing of indexes, indexes nothing of
 * reading or writing, reading nothing of writing; and no internal class reaches up to the
 * {@link FileEventStore} facade that wires them. Maven keeps modules apart; this keeps packages.
 */
class LayeringTest {
  private static JavaClasses store;

  @BeforeAll
  static void importClasses() {
    store = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.chiplog.store");
  }

  @Test
  void theLogDependsOnNoOtherLayer() {
    noClasses().that().resideInAPackage("..store.internal.log..")
        .should().dependOnClassesThat().resideInAnyPackage("..store.internal.index..", "..store.internal.read..",
            "..store.internal.write..", "..store.internal.recovery..")
        .check(store);
  }

  @Test
  void indexesDoNotDependOnReadingWritingOrRecovery() {
    noClasses().that().resideInAPackage("..store.internal.index..")
        .should().dependOnClassesThat().resideInAnyPackage("..store.internal.read..", "..store.internal.write..",
            "..store.internal.recovery..")
        .check(store);
  }

  @Test
  void readingDoesNotDependOnWritingOrRecovery() {
    noClasses().that().resideInAPackage("..store.internal.read..")
        .should().dependOnClassesThat().resideInAnyPackage("..store.internal.write..", "..store.internal.recovery..")
        .check(store);
  }

  @Test
  void internalsDoNotReachUpToTheFacade() {
    noClasses().that().resideInAPackage("..store.internal..")
        .should().dependOnClassesThat().belongToAnyOf(FileEventStore.class)
        .check(store);
  }
}
