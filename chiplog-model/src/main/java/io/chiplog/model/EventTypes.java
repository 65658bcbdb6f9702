package io.chiplog.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.chiplog.api.EventData;
import io.chiplog.api.RecordedEvent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The events of one model: an explicit registry of type names (so a class can be renamed or moved
 * without touching stored events), where their tags come from, the upcasters applied on read, and
 * the Jackson codec between records and stored JSON. Immutable and thread-safe.
 *
 * <pre>{@code
 * EventTypes<LibraryEvent> types = EventTypes.of(LibraryEvent.class)
 *     .add("CategoryAdded", CategoryAdded.class)           // tags from CategoryAdded.tags() (Tagged)
 *     .add("BookAdded", BookAdded.class, e -> Set.of("category:" + e.categoryId()))
 *     .upcasters(Upcasters.none().rename("BookEntered", "BookAdded"))
 *     .build();
 * }</pre>
 *
 * @param <E> the model's event type, usually a sealed interface
 */
public final class EventTypes<E> {
  private final Class<E> base;
  private final Map<String, Class<? extends E>> classByName;
  private final Map<String, ObjectReader> readerByName;
  private final Map<Class<?>, String> nameByClass;
  private final Map<Class<?>, Function<Object, Collection<String>>> tagsByClass;
  private final Upcasters upcasters;
  private final ObjectMapper mapper;

  private EventTypes(Builder<E> builder) {
    this.base = builder.base;
    this.classByName = Map.copyOf(builder.classByName);
    this.nameByClass = Map.copyOf(builder.nameByClass);
    this.tagsByClass = Map.copyOf(builder.tagsByClass);
    this.upcasters = builder.upcasters;
    this.mapper = builder.mapper;
    var readers = new HashMap<String, ObjectReader>();
    classByName.forEach((name, type) -> readers.put(name, mapper.readerFor(type)));
    this.readerByName = Map.copyOf(readers);
  }

  /** Starts a registry for events of {@code base}. */
  public static <E> Builder<E> of(Class<E> base) {
    return new Builder<>(base);
  }

  /** The JSON mapper for events and the default for snapshots: records, {@code java.time}. */
  public static ObjectMapper defaultMapper() {
    return JsonMapper.builder()
        .addModule(new JavaTimeModule())
        .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
        // A newer reader may meet fields an older writer never had, and the other way round.
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        // Upcasters see data as a tree: decimals stay exact there, as they are in the bytes.
        .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
        .build();
  }

  /** The registered name of {@code event}'s class. */
  public String nameOf(E event) {
    String name = nameByClass.get(event.getClass());
    if (name == null) {
      throw new IllegalArgumentException(
          event.getClass().getName() + " is not registered in the event types of " + base.getSimpleName());
    }
    return name;
  }

  /** Whether {@code typeName} is registered (after upcasting). */
  public boolean knows(String typeName) {
    return classByName.containsKey(typeName);
  }

  /** The tags of {@code event}: its own ({@link Tagged}) and those of its registration. */
  public Set<String> tagsOf(E event) {
    var tags = new LinkedHashSet<String>();
    if (event instanceof Tagged tagged) {
      tags.addAll(tagged.tags());
    }
    Function<Object, Collection<String>> function = tagsByClass.get(event.getClass());
    if (function != null) {
      tags.addAll(function.apply(event));
    }
    return tags;
  }

  /** {@code event} as an event to append, with a fresh id. */
  public EventData encode(E event) {
    return encode(event, UUID.randomUUID());
  }

  /** {@code event} as an event to append, with {@code id}. */
  public EventData encode(E event, UUID id) {
    try {
      return new EventData(id, nameOf(event), tagsOf(event), mapper.writeValueAsBytes(event), EMPTY_OBJECT);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot serialize " + event.getClass().getName() + ": " + e.getMessage(), e);
    }
  }

  private static final byte[] EMPTY_OBJECT = {'{', '}'};

  /**
   * Decodes stored events: upcasts them as one read (so N -> 1 merges see their pairs), then
   * maps each to its class. Events whose type is not registered are skipped: a query over tags
   * may match events of other models.
   *
   * @throws EventDecodingException when a registered event's data does not fit its class
   */
  public List<Recorded<E>> decode(List<RecordedEvent> stored) {
    if (upcasters.isEmpty()) {
      return decodeDirectly(stored);
    }
    var raw = new ArrayList<StoredEvent>(stored.size());
    for (RecordedEvent event : stored) {
      raw.add(toStored(event));
    }
    List<StoredEvent> upcast = upcasters.apply(raw);
    var decoded = new ArrayList<Recorded<E>>(upcast.size());
    for (StoredEvent event : upcast) {
      E value = decodeOrNull(event);
      if (value != null) {
        decoded.add(new Recorded<>(value, event.id(), event.position(), event.stream(), event.revision(), event.recordedAt()));
      }
    }
    return decoded;
  }

  /**
   * Without upcasters there is no tree to rewrite: each registered event is read from its bytes
   * into its class in one pass (a tree first, then the class, costs twice), and events of other
   * types are skipped unparsed.
   */
  private List<Recorded<E>> decodeDirectly(List<RecordedEvent> stored) {
    var decoded = new ArrayList<Recorded<E>>(stored.size());
    for (RecordedEvent event : stored) {
      ObjectReader reader = readerByName.get(event.type());
      if (reader == null) {
        continue;
      }
      @Nullable E value;
      try {
        value = reader.readValue(event.dataSize() == 0 ? EMPTY_OBJECT : event.data());
      } catch (StreamReadException e) {
        throw new EventDecodingException(
            "the event at position " + event.position() + " (" + event.type() + ") has data that is not JSON", e);
      } catch (IOException | IllegalArgumentException e) {
        throw new EventDecodingException(
            "the event at position " + event.position() + " (" + event.type() + ") does not decode as "
                + reader.getValueType().getRawClass().getName() + ": " + e.getMessage(), e);
      }
      if (value == null) {
        continue; // JSON null: skipped, as the tree path skips it
      }
      decoded.add(new Recorded<>(value, event.id(), event.position(), event.stream(), event.revision(), event.recordedAt()));
    }
    return decoded;
  }

  private @Nullable E decodeOrNull(StoredEvent event) {
    Class<? extends E> type = classByName.get(event.type());
    if (type == null) {
      return null;
    }
    try {
      return mapper.treeToValue(event.data(), type);
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new EventDecodingException(
          "the event at position " + event.position() + " (" + event.type() + ") does not decode as "
              + type.getName() + ": " + e.getMessage(), e);
    }
  }

  private StoredEvent toStored(RecordedEvent event) {
    JsonNode data;
    try {
      data = event.dataSize() == 0 ? mapper.createObjectNode() : mapper.readTree(event.data());
    } catch (IOException e) {
      throw new EventDecodingException(
          "the event at position " + event.position() + " (" + event.type() + ") has data that is not JSON", e);
    }
    return new StoredEvent(event.id(), event.position(), event.stream(), event.revision(), event.recordedAt(),
        event.type(), event.tags(), data);
  }

  /** The stored names of the registered events, sorted: what a query over "all of this model" lists. */
  public List<String> names() {
    return classByName.keySet().stream().sorted().toList();
  }

  /** The mapper of this registry. */
  public ObjectMapper mapper() {
    return mapper;
  }

  /** A registered event's data does not fit its class (and no upcaster made it fit). */
  public static final class EventDecodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    EventDecodingException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Builds {@link EventTypes}; not thread-safe. */
  public static final class Builder<E> {
    private final Class<E> base;
    private final Map<String, Class<? extends E>> classByName = new HashMap<>();
    private final Map<Class<?>, String> nameByClass = new HashMap<>();
    private final Map<Class<?>, Function<Object, Collection<String>>> tagsByClass = new HashMap<>();
    private Upcasters upcasters = Upcasters.none();
    private ObjectMapper mapper = defaultMapper();

    private Builder(Class<E> base) {
      this.base = base;
    }

    /** Registers {@code type} under {@code name}; its tags come from {@link Tagged}, if it is. */
    public Builder<E> add(String name, Class<? extends E> type) {
      if (classByName.putIfAbsent(name, type) != null) {
        throw new IllegalArgumentException("the type name " + name + " is registered twice");
      }
      if (nameByClass.putIfAbsent(type, name) != null) {
        throw new IllegalArgumentException(type.getName() + " is registered twice");
      }
      return this;
    }

    /** Registers {@code type} under {@code name}, with its tags computed by {@code tags}. */
    @SuppressWarnings("unchecked")
    public <T extends E> Builder<E> add(String name, Class<T> type, Function<? super T, ? extends Collection<String>> tags) {
      add(name, type);
      tagsByClass.put(type, event -> (Collection<String>) tags.apply((T) event));
      return this;
    }

    /** The upcasters applied on every read. */
    public Builder<E> upcasters(Upcasters chain) {
      upcasters = chain;
      return this;
    }

    /**
     * The JSON mapper; {@link #defaultMapper()} unless set. Configure it before {@link #build()}:
     * the readers of the registered classes are made from it then.
     */
    public Builder<E> mapper(ObjectMapper value) {
      mapper = value;
      return this;
    }

    /** Builds the registry. */
    public EventTypes<E> build() {
      if (classByName.isEmpty()) {
        throw new IllegalArgumentException("register at least one event type");
      }
      return new EventTypes<>(this);
    }
  }
}
