// DynamoDB Local on one interface: its command line has no host option and its Jetty server binds every
// interface, so this launcher builds the server as DynamoDB Local's own main does, sets the host on its
// connector, then starts it. Compiled once by sandbox/dynamodb-local.ts (or run in source-file mode: a JDK's
// compiler module); the host is the system property `host`, DynamoDB Local's options follow as usual.
import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;
import java.lang.reflect.Field;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

public class DynamoDbLocalOnLoopback {
  public static void main(String[] args) throws Exception {
    DynamoDBProxyServer proxy = ServerRunner.createServerFromCommandLineArgs(args);
    Field field = DynamoDBProxyServer.class.getDeclaredField("server");
    field.setAccessible(true);
    Server server = (Server) field.get(proxy);
    for (Connector connector : server.getConnectors()) ((ServerConnector) connector).setHost(System.getProperty("host", "127.0.0.1"));
    proxy.start();
  }
}
