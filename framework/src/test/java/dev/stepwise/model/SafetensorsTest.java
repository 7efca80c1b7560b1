package dev.stepwise.model;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.stepwise.config.UserError;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path dir;

  @Test
  void roundTripIsBitExactAndKeepsOrder() throws Exception {
    try (NDManager m = NDManager.newBaseManager()) {
      Map<String, NDArray> in = new LinkedHashMap<>();
      in.put("z.weight", m.randomNormal(new Shape(3, 5)));
      in.put("a.bias", m.create(new float[] {Float.MIN_VALUE, -0f, 1e-38f}));
      in.put("step", m.create(new long[] {42L, -7L}));
      Path f = dir.resolve("model.safetensors");
      Safetensors.write(f, in, Map.of("format", "pt"));
      Map<String, NDArray> out = Safetensors.read(f, m);
      assertEquals(in.keySet().stream().toList(), out.keySet().stream().toList());
      for (String k : in.keySet()) {
        assertEquals(in.get(k).getShape(), out.get(k).getShape(), k);
        assertEquals(in.get(k).getDataType(), out.get(k).getDataType(), k);
        assertArrayEquals(in.get(k).toByteArray(), out.get(k).toByteArray(), k);
      }
      assertEquals(0, (Files.readAllBytes(f).length - 8 - readHeaderLen(f)) % 4);
    }
  }

  @Test
  void bf16IsWidenedToFloat32() throws Exception {
    // Hand-built file: one BF16 tensor [1.0, -2.5] (0x3F80, 0xC020).
    String header = "{\"x\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[0,4]}}";
    ByteBuffer b = ByteBuffer.allocate(8 + header.length() + 4).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(header.length()).put(header.getBytes()).putShort((short) 0x3F80).putShort((short) 0xC020);
    Path f = dir.resolve("bf16.safetensors");
    Files.write(f, b.array());
    try (NDManager m = NDManager.newBaseManager()) {
      NDArray x = Safetensors.read(f, m).get("x");
      assertEquals(DataType.FLOAT32, x.getDataType());
      assertArrayEquals(new float[] {1.0f, -2.5f}, x.toFloatArray());
    }
  }

  @Test
  void garbageFileIsAUserError() throws Exception {
    Path f = dir.resolve("bad.safetensors");
    Files.write(f, new byte[] {1, 2, 3});
    try (NDManager m = NDManager.newBaseManager()) {
      UserError e = assertThrows(UserError.class, () -> Safetensors.read(f, m));
      assertTrue(e.getMessage().contains("bad.safetensors"), e.getMessage());
    }
  }

  private static long readHeaderLen(Path f) throws Exception {
    return ByteBuffer.wrap(Files.readAllBytes(f), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
  }
}
